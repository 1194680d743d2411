using System.Collections;
using System.Globalization;
using System.Reflection;

namespace RlPlat.Connectors.Plugins;

/// <summary>
/// Binds an options dictionary (from YAML: strings, numbers, lists, maps) to a typed options class: keys match public
/// settable properties ignoring case, '_' and '-' (so <c>rate_hz</c>, <c>rate-hz</c> and <c>RateHz</c> all mean RateHz).
/// Unknown keys and values that do not convert are <see cref="ArgumentException"/>s naming the key, the value and
/// the expected type.
/// </summary>
public static class OptionsBinder
{
    /// <summary>A new <typeparamref name="T"/> with the given values set.</summary>
    public static T Bind<T>(IReadOnlyDictionary<string, object?>? values, string owner) where T : class, new()
    {
        var result = new T();
        if (values is null) return result;
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .ToDictionary(p => Normalize(p.Name), StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (!properties.TryGetValue(Normalize(key), out var property))
                throw new ArgumentException($"{owner}: unknown option '{key}' (valid: {string.Join(", ", properties.Values.Select(p => SnakeCase(p.Name)).Order(StringComparer.Ordinal))}).");
            object? converted;
            try { converted = Convert(value, property.PropertyType); }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException)
            {
                throw new ArgumentException($"{owner}: option '{key}' must be {Describe(property.PropertyType)}, got {Show(value)}.", e);
            }
            property.SetValue(result, converted);
        }
        return result;
    }

    private static string Normalize(string name) => name.Replace("_", "").Replace("-", "").ToLowerInvariant();

    /// <summary>RateHz -> rate_hz, the spelling YAML files use.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1])) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}' (text)",
        _ => $"{System.Convert.ToString(value, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
    };

    private static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(int) || t == typeof(long)) return "an integer";
        if (t == typeof(double) || t == typeof(float)) return "a number";
        if (t == typeof(bool)) return "true or false";
        if (t == typeof(string)) return "text";
        if (t == typeof(TimeSpan)) return "a duration (seconds, or text such as '50ms', '2s', '00:00:05')";
        if (t.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(t).Select(SnakeCase));
        if (t.IsArray) return "a list of " + Describe(t.GetElementType()!).Replace("an ", "").Replace("a ", "") + "s";
        if (typeof(IReadOnlyDictionary<string, object?>).IsAssignableFrom(t) || t == typeof(IReadOnlyDictionary<string, object?>)) return "a map";
        return t.Name;
    }

    private static object? Convert(object? value, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (value is null || (value is string { Length: 0 } && underlying is not null))
        {
            if (type.IsValueType && underlying is null) throw new ArgumentException("null for a value type");
            return null;
        }
        var t = underlying ?? type;
        if (t.IsInstanceOfType(value) && !t.IsArray && t != typeof(object)) return value;
        if (t == typeof(object)) return value;
        if (t == typeof(string)) return value is string or IConvertible ? System.Convert.ToString(value, CultureInfo.InvariantCulture) : throw new InvalidCastException();
        if (t == typeof(bool))
        {
            if (value is bool b) return b;
            if (value is string s) return s.Trim().ToLowerInvariant() switch { "true" or "yes" or "on" => true, "false" or "no" or "off" => false, _ => throw new FormatException() };
            throw new InvalidCastException();
        }
        if (t == typeof(TimeSpan)) return ParseDuration(value);
        if (t.IsEnum)
        {
            if (value is not string name) throw new InvalidCastException();
            var normalized = Normalize(name);
            foreach (var n in Enum.GetNames(t)) if (Normalize(n) == normalized) return Enum.Parse(t, n);
            throw new FormatException();
        }
        if (t.IsPrimitive || t == typeof(decimal))
        {
            if (value is bool || value is IEnumerable and not string) throw new InvalidCastException();
            if (t == typeof(int) || t == typeof(long))
            {
                double d = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (d != Math.Floor(d)) throw new FormatException();
            }
            return System.Convert.ChangeType(value, t, CultureInfo.InvariantCulture);
        }
        if (t.IsArray && value is IEnumerable items and not string)
        {
            var list = items.Cast<object?>().Select(i => Convert(i, t.GetElementType()!)).ToArray();
            var array = Array.CreateInstance(t.GetElementType()!, list.Length);
            for (int i = 0; i < list.Length; i++) array.SetValue(list[i], i);
            return array;
        }
        if (t.IsAssignableFrom(typeof(Dictionary<string, object?>)) && value is IEnumerable entries and not string)
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                switch (entry)
                {
                    case KeyValuePair<string, object?> kv: map[kv.Key] = kv.Value; break;
                    case KeyValuePair<object, object?> kv: map[System.Convert.ToString(kv.Key, CultureInfo.InvariantCulture)!] = kv.Value; break;
                    case DictionaryEntry de: map[System.Convert.ToString(de.Key, CultureInfo.InvariantCulture)!] = de.Value; break;
                    default: throw new InvalidCastException();
                }
            }
            return map;
        }
        throw new InvalidCastException();
    }

    /// <summary>A duration from seconds (a number) or text: "50ms", "2s", "1.5min", "00:00:05".</summary>
    public static TimeSpan ParseDuration(object value)
    {
        if (value is string text)
        {
            text = text.Trim();
            foreach (var (suffix, scale) in new[] { ("ms", 1e-3), ("us", 1e-6), ("min", 60.0), ("s", 1.0), ("h", 3600.0) })
                if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                    return Checked(n * scale);
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)) return span;
            return Checked(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        if (value is bool) throw new InvalidCastException();
        return Checked(System.Convert.ToDouble(value, CultureInfo.InvariantCulture));
    }

    private static TimeSpan Checked(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : throw new FormatException();
}
