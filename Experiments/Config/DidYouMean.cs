namespace RlPlat.Experiments.Config;

/// <summary>"Did you mean" suggestions: the closest known word by Levenshtein distance.</summary>
public static class DidYouMean
{
    /// <summary>The candidate closest to <paramref name="word"/>, or null when none is close enough to be a plausible typo.</summary>
    public static string? Suggest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            int d = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance) { bestDistance = d; best = candidate; }
        }
        // A third of the word (at least 2 edits) catches typos and transpositions without suggesting unrelated keys.
        int limit = Math.Max(2, word.Length / 3);
        return bestDistance <= limit ? best : null;
    }

    /// <summary>" (did you mean 'x'?)" or an empty string, ready to append to a message.</summary>
    public static string Hint(string word, IEnumerable<string> candidates)
        => Suggest(word, candidates) is { } s ? $"; did you mean '{s}'?" : "";

    /// <summary>Levenshtein edit distance (insert, delete, substitute each cost 1).</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
