namespace RlPlat.Environments;

/// <summary>Gymnasium's <c>Discrete(n, start)</c>: the integers start, start+1, ..., start+n-1.</summary>
public sealed class Discrete : Space<int>
{
    /// <summary>A space of <paramref name="n"/> integers starting at <paramref name="start"/>.</summary>
    public Discrete(int n, int start = 0)
    {
        if (n <= 0) throw new ArgumentException($"Discrete: n must be positive, got {n}.", nameof(n));
        N = n;
        Start = start;
    }

    /// <summary>The number of elements.</summary>
    public int N { get; }

    /// <summary>The smallest element.</summary>
    public int Start { get; }

    /// <inheritdoc />
    public override int[] Shape => [];

    /// <summary><c>start + np_random.integers(n)</c>.</summary>
    public override int Sample() => Start + (int)NpRandom.Integers(0, N);

    /// <summary>
    /// Samples among the elements whose mask entry is 1 (Gymnasium's <c>sample(mask)</c>, an int8 array of 0/1 of length n):
    /// <c>start + np_random.choice(np.where(mask)[0])</c>, or <c>start</c> when nothing is allowed.
    /// </summary>
    public int Sample(ReadOnlySpan<byte> mask)
    {
        int allowed = CheckMask(mask, N, "Discrete");
        if (allowed == 0) return Start;
        long pick = NpRandom.Integers(0, allowed);
        for (int i = 0; i < mask.Length; i++)
            if (mask[i] == 1 && pick-- == 0) return Start + i;
        throw new InvalidOperationException("Discrete.Sample: mask changed while sampling.");
    }

    /// <summary>Checks a 0/1 mask of length <paramref name="n"/> and returns how many entries are 1.</summary>
    internal static int CheckMask(ReadOnlySpan<byte> mask, int n, string who)
    {
        if (mask.Length != n) throw new ArgumentException($"{who}.Sample: mask has length {mask.Length}, expected {n}.");
        int allowed = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] > 1) throw new ArgumentException($"{who}.Sample: mask entries must be 0 or 1, got {mask[i]} at {i}.");
            allowed += mask[i];
        }
        return allowed;
    }

    /// <inheritdoc />
    public override bool Contains(int value) => value >= Start && value < Start + N;

    /// <inheritdoc />
    public override bool ContainsObject(object? value) => value switch
    {
        int i => Contains(i),
        long l => l >= Start && l < Start + N,
        _ => false,
    };

    /// <inheritdoc />
    public override string ToString() => Start == 0 ? $"Discrete({N})" : $"Discrete({N}, start={Start})";
}
