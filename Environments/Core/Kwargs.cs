using System.Globalization;

namespace RlPlat.Environments;

/// <summary>Reads an env's keyword arguments with defaults and rejects names the env does not know.</summary>
public sealed class Kwargs
{
    private readonly string owner;
    private readonly IReadOnlyDictionary<string, object?> values;
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    /// <summary>Wraps <paramref name="values"/> for the env named <paramref name="owner"/>.</summary>
    public Kwargs(string owner, IReadOnlyDictionary<string, object?>? values)
    {
        this.owner = owner;
        this.values = values ?? new Dictionary<string, object?>();
    }

    /// <summary>A number (any numeric type or numeric string).</summary>
    public double Double(string name, double defaultValue) => Get(name, defaultValue, v => Convert.ToDouble(v, CultureInfo.InvariantCulture));

    /// <summary>An integer.</summary>
    public int Int(string name, int defaultValue) => Get(name, defaultValue, v => Convert.ToInt32(v, CultureInfo.InvariantCulture));

    /// <summary>A boolean.</summary>
    public bool Bool(string name, bool defaultValue) => Get(name, defaultValue, v => Convert.ToBoolean(v, CultureInfo.InvariantCulture));

    /// <summary>A string.</summary>
    public string String(string name, string defaultValue) => Get(name, defaultValue, v => Convert.ToString(v, CultureInfo.InvariantCulture)!);

    /// <summary>Throws when a kwarg was given that the env never read (a typo, or an option it does not have).</summary>
    public void EnsureAllUsed()
    {
        foreach (var key in values.Keys)
            if (!used.Contains(key))
                throw new ArgumentException($"{owner}: unknown keyword argument '{key}' (known: {string.Join(", ", used.Order(StringComparer.Ordinal))}).");
    }

    private T Get<T>(string name, T defaultValue, Func<object, T> convert)
    {
        used.Add(name);
        if (!values.TryGetValue(name, out var v) || v == null) return defaultValue;
        try
        {
            return convert(v);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new ArgumentException($"{owner}: keyword argument '{name}' = '{v}' is not a valid {typeof(T).Name}.", e);
        }
    }
}
