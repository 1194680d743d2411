using System.Globalization;

namespace RlPlat.Agents;

/// <summary>
/// Reads rl-zoo-style hyperparameters (snake_case keys) from a config dictionary with checked types, and reports keys
/// nobody read, so a misspelt setting is an error instead of being silently ignored.
/// </summary>
public sealed class Hyperparameters
{
    private readonly string algorithm;
    private readonly IReadOnlyDictionary<string, object?> values;
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    /// <summary>Wraps <paramref name="values"/> (null means none) for <paramref name="algorithm"/>'s options.</summary>
    public Hyperparameters(string algorithm, IReadOnlyDictionary<string, object?>? values)
    {
        this.algorithm = algorithm;
        this.values = values ?? new Dictionary<string, object?>();
    }

    /// <summary>True when the key is present.</summary>
    public bool Has(string key) => values.ContainsKey(key);

    /// <summary>A float setting.</summary>
    public double Double(string key, double fallback)
    {
        if (!Take(key, out object? v)) return fallback;
        return v switch
        {
            double or float or int or long or decimal => Convert.ToDouble(v, CultureInfo.InvariantCulture),
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
            _ => throw Bad(key, v, "a number"),
        };
    }

    /// <summary>An integer setting (floats like 1e5 are accepted when whole).</summary>
    public int Int(string key, int fallback)
    {
        if (!Take(key, out object? v)) return fallback;
        double d = v switch
        {
            int i => i,
            long l => l,
            double or float or decimal => Convert.ToDouble(v, CultureInfo.InvariantCulture),
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) => p,
            _ => throw Bad(key, v, "an integer"),
        };
        if (d != Math.Floor(d) || d > int.MaxValue || d < int.MinValue) throw Bad(key, v, "an integer");
        return (int)d;
    }

    /// <summary>An optional float setting (null or absent gives null).</summary>
    public double? NullableDouble(string key, double? fallback)
    {
        if (!Has(key)) return fallback;
        if (values[key] is null)
        {
            used.Add(key);
            return null;
        }
        return Double(key, 0);
    }

    /// <summary>A boolean setting.</summary>
    public bool Bool(string key, bool fallback)
    {
        if (!Take(key, out object? v)) return fallback;
        return v switch
        {
            bool b => b,
            string s when bool.TryParse(s, out bool p) => p,
            _ => throw Bad(key, v, "true or false"),
        };
    }

    /// <summary>A string setting.</summary>
    public string String(string key, string fallback, params string[] allowed)
    {
        if (!Take(key, out object? v)) return fallback;
        string s = v as string ?? throw Bad(key, v, "a string");
        if (allowed.Length > 0 && Array.IndexOf(allowed, s) < 0) throw Bad(key, v, "one of " + string.Join(", ", allowed));
        return s;
    }

    /// <summary>A setting that may be a word or a number (such as SAC's <c>ent_coef: auto_0.1</c> or <c>0.2</c>), as invariant text.</summary>
    public string Text(string key, string fallback)
    {
        if (!Take(key, out object? v)) return fallback;
        return v switch
        {
            string s => s,
            double or float or int or long or decimal => Convert.ToString(v, CultureInfo.InvariantCulture)!,
            _ => throw Bad(key, v, "a word or a number"),
        };
    }

    /// <summary>A number or <c>lin_x</c> schedule.</summary>
    public Schedule Schedule(string key, Schedule fallback) => Take(key, out object? v) ? RlPlat.Agents.Schedule.Parse(v, $"{algorithm}.{key}") : fallback;

    /// <summary>A list of positive integers (layer sizes).</summary>
    public int[] IntList(string key, int[] fallback)
    {
        if (!Take(key, out object? v)) return fallback;
        if (v is int[] direct) return direct;
        if (v is System.Collections.IEnumerable list and not string)
        {
            var result = new List<int>();
            foreach (object? item in list)
            {
                double d = item switch
                {
                    int i => i,
                    long l => l,
                    double or float => Convert.ToDouble(item, CultureInfo.InvariantCulture),
                    string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) => p,
                    _ => double.NaN,
                };
                if (!(d >= 1) || d != Math.Floor(d)) throw Bad(key, v, "a list of positive integers");
                result.Add((int)d);
            }
            return [.. result];
        }
        throw Bad(key, v, "a list of positive integers");
    }

    /// <summary>Throws when a key was given that no option read.</summary>
    public void EnsureAllUsed()
    {
        var unknown = new List<string>();
        foreach (string key in values.Keys)
            if (!used.Contains(key)) unknown.Add(key);
        if (unknown.Count > 0)
            throw new ArgumentException($"{algorithm}: unknown hyperparameter(s) {string.Join(", ", unknown)} (known: {string.Join(", ", used.Order(StringComparer.Ordinal))}).");
    }

    private bool Take(string key, out object? value)
    {
        used.Add(key);
        return values.TryGetValue(key, out value) && value is not null;
    }

    private ArgumentException Bad(string key, object? v, string expected) =>
        new($"{algorithm}.{key}: '{v}' is not {expected}.", key);
}
