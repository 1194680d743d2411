using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RlPlat.Experiments.Config;

/// <summary>
/// One node of the experiments-file schema: it knows its type, its default, and how to read and check a YAML node.
/// Read values are plain: long, double, bool, string, <see cref="Schedule"/>, null, lists and ordered maps.
/// </summary>
public abstract class SchemaNode
{
    /// <summary>One line saying what the key means (used by the README and <c>--help</c>).</summary>
    public string Doc { get; internal set; } = "";

    /// <summary>The type as users read it ("integer >= 1", "list of integer").</summary>
    public abstract string TypeName { get; }

    /// <summary>The value used when the key is absent.</summary>
    public abstract object? Default { get; }

    /// <summary>Reads and checks <paramref name="node"/>; problems go to the reader and a best-effort value comes back.</summary>
    internal abstract object? Read(YamlNode node, string path, ConfigReader reader);

    /// <summary>True for a plain (unquoted) scalar that YAML reads as null: <c>~</c>, <c>null</c> or nothing.</summary>
    internal static bool IsNull(YamlNode node)
        => node is YamlScalarNode { Style: not (ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) } s
           && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    /// <summary>The text of a scalar, or an error naming what was found instead.</summary>
    internal static string? ScalarText(YamlNode node, string path, string expected, ConfigReader reader)
    {
        if (node is YamlScalarNode s && !IsNull(node)) return s.Value ?? "";
        reader.Error(node, $"{path}: expected {expected}, got {Describe(node)}");
        return null;
    }

    /// <summary>How a node looks to a user, for "expected X, got Y" messages.</summary>
    internal static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "null",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    internal static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A whole number, optionally bounded. Accepts <c>1_000_000</c> and integral floats such as <c>1e6</c> (rl-zoo style).</summary>
public sealed class IntSchema(long? min = null, long? max = null, long? defaultValue = null) : SchemaNode
{
    /// <inheritdoc/>
    public override string TypeName => min is { } lo && max is { } hi ? $"integer in [{lo}, {hi}]" : min is { } m ? $"integer >= {m}" : "integer";

    /// <inheritdoc/>
    public override object? Default => defaultValue;

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (ScalarText(node, path, "an integer", reader) is not { } text) return defaultValue;
        if (!TryParse(text, out long value))
        {
            reader.Error(node, $"{path}: expected an integer, got '{text}'");
            return defaultValue;
        }
        if (value < min || value > max)
            reader.Error(node, $"{path}: {value} is out of range; expected {TypeName}");
        return value;
    }

    internal static bool TryParse(string text, out long value)
    {
        var clean = text.Replace("_", "");
        if (long.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) return true;
        if (double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d == Math.Floor(d) && Math.Abs(d) < 9e15)
        {
            value = (long)d;
            return true;
        }
        return false;
    }
}

/// <summary>A finite real number, optionally bounded (inclusive unless <c>ExclusiveMin</c>).</summary>
public sealed class FloatSchema(double? min = null, double? max = null, double? defaultValue = null, bool exclusiveMin = false) : SchemaNode
{
    /// <inheritdoc/>
    public override string TypeName => (min, max) switch
    {
        ({ } lo, { } hi) => $"number in {(exclusiveMin ? "(" : "[")}{Format(lo)}, {Format(hi)}]",
        ({ } lo, null) => $"number {(exclusiveMin ? ">" : ">=")} {Format(lo)}",
        _ => "number",
    };

    /// <inheritdoc/>
    public override object? Default => defaultValue;

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (ScalarText(node, path, "a number", reader) is not { } text) return defaultValue;
        if (!double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            reader.Error(node, $"{path}: expected a number, got '{text}'");
            return defaultValue;
        }
        Check(value, node, path, reader);
        return value;
    }

    internal void Check(double value, YamlNode node, string path, ConfigReader reader)
    {
        if (value < min || (exclusiveMin && value == min) || value > max)
            reader.Error(node, $"{path}: {Format(value)} is out of range; expected {TypeName}");
    }
}

/// <summary>A number or rl-zoo's <c>lin_X</c> schedule; the bounds apply to the start and end values.</summary>
public sealed class ScheduleSchema(FloatSchema bounds, double defaultValue) : SchemaNode
{
    /// <inheritdoc/>
    public override string TypeName => $"schedule ({bounds.TypeName}, or lin_X)";

    /// <inheritdoc/>
    public override object? Default => Schedule.Constant(defaultValue);

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (ScalarText(node, path, "a number or lin_X", reader) is not { } text) return Default;
        if (!Schedule.TryParse(text, out var schedule))
        {
            reader.Error(node, $"{path}: expected a number or a schedule such as lin_0.001, got '{text}'");
            return Default;
        }
        bounds.Check(schedule.Start, node, path, reader);
        if (!schedule.IsConstant && schedule.End != 0) bounds.Check(schedule.End, node, path, reader);
        return schedule;
    }
}

/// <summary>true or false.</summary>
public sealed class BoolSchema(bool defaultValue) : SchemaNode
{
    /// <inheritdoc/>
    public override string TypeName => "boolean";

    /// <inheritdoc/>
    public override object? Default => defaultValue;

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (ScalarText(node, path, "true or false", reader) is not { } text) return defaultValue;
        switch (text)
        {
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
            default:
                reader.Error(node, $"{path}: expected true or false, got '{text}'");
                return defaultValue;
        }
    }
}

/// <summary>A string, optionally one of a fixed set (with a "did you mean") or matching a pattern.</summary>
public sealed class StringSchema(string? defaultValue = null, IReadOnlyList<string>? allowed = null, Regex? pattern = null, string? patternName = null) : SchemaNode
{
    /// <summary>The allowed values, or null when any string that matches the pattern goes.</summary>
    public IReadOnlyList<string>? Allowed => allowed;

    /// <inheritdoc/>
    public override string TypeName => allowed is not null ? "one of " + string.Join(", ", allowed) : patternName ?? "string";

    /// <inheritdoc/>
    public override object? Default => defaultValue;

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (ScalarText(node, path, "a string", reader) is not { } text) return defaultValue;
        if (allowed is not null && !allowed.Contains(text))
            reader.Error(node, $"{path}: '{text}' is not one of {string.Join(", ", allowed)}{DidYouMean.Hint(text, allowed)}");
        else if (pattern is not null && !pattern.IsMatch(text))
            reader.Error(node, $"{path}: '{text}' is not a valid {patternName ?? "value"}");
        return text;
    }
}

/// <summary>Either null or a value of the inner schema; absent means null.</summary>
public sealed class NullableSchema(SchemaNode inner) : SchemaNode
{
    /// <summary>The schema a non-null value must satisfy.</summary>
    public SchemaNode Inner => inner;

    /// <inheritdoc/>
    public override string TypeName => inner.TypeName + " or null";

    /// <inheritdoc/>
    public override object? Default => null;

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
        => IsNull(node) ? null : inner.Read(node, path, reader);
}

/// <summary>A list whose items all follow one schema.</summary>
public sealed class ListSchema(SchemaNode item, int minCount = 0, IReadOnlyList<object?>? defaultValue = null) : SchemaNode
{
    /// <inheritdoc/>
    public override string TypeName => $"list of {item.TypeName}" + (minCount > 0 ? $" (at least {minCount})" : "");

    /// <inheritdoc/>
    public override object? Default => defaultValue is null ? new List<object?>() : new List<object?>(defaultValue);

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (node is not YamlSequenceNode seq)
        {
            reader.Error(node, $"{path}: expected a list, got {Describe(node)}");
            return Default;
        }
        var list = new List<object?>(seq.Children.Count);
        for (int i = 0; i < seq.Children.Count; i++) list.Add(item.Read(seq.Children[i], $"{path}[{i}]", reader));
        if (list.Count < minCount) reader.Error(node, $"{path}: expected at least {minCount} item(s), got {list.Count}");
        return list;
    }
}

/// <summary>A mapping with a fixed set of keys; unknown keys are errors with a suggestion, missing ones take their defaults.</summary>
public sealed class MapSchema : SchemaNode
{
    private readonly List<(string Key, SchemaNode Schema, bool Required)> fields = [];

    /// <summary>The keys in documentation and output order.</summary>
    public IReadOnlyList<(string Key, SchemaNode Schema, bool Required)> Fields => fields;

    /// <summary>Adds an optional key.</summary>
    public MapSchema Add(string key, SchemaNode schema, string doc)
    {
        fields.Add((key, WithDoc(schema, doc), false));
        return this;
    }

    /// <summary>Adds a key that must be present.</summary>
    public MapSchema Require(string key, SchemaNode schema, string doc)
    {
        fields.Add((key, WithDoc(schema, doc), true));
        return this;
    }

    /// <summary>The schema of <paramref name="key"/>, or null when the key is unknown.</summary>
    public SchemaNode? Field(string key)
    {
        foreach (var f in fields) if (f.Key == key) return f.Schema;
        return null;
    }

    /// <summary>The keys, for suggestions.</summary>
    public IEnumerable<string> Keys
    {
        get { foreach (var f in fields) yield return f.Key; }
    }

    /// <inheritdoc/>
    public override string TypeName => "mapping";

    /// <inheritdoc/>
    public override object? Default
    {
        get
        {
            var map = new OrderedDictionary<string, object?>();
            foreach (var f in fields) map[f.Key] = f.Schema.Default;
            return map;
        }
    }

    internal override object? Read(YamlNode node, string path, ConfigReader reader) => Read(node, path, reader, NoKeys);

    private static readonly HashSet<string> NoKeys = [];

    /// <summary>Reads the mapping; keys in <paramref name="skip"/> are left for the caller (they depend on other keys).</summary>
    internal OrderedDictionary<string, object?> Read(YamlNode node, string path, ConfigReader reader, IReadOnlySet<string> skip)
    {
        var map = new OrderedDictionary<string, object?>();
        if (node is not YamlMappingNode mapping)
        {
            reader.Error(node, $"{path}: expected a mapping, got {Describe(node)}");
            foreach (var f in fields) map[f.Key] = f.Schema.Default;
            return map;
        }
        var given = new Dictionary<string, YamlNode>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                reader.Error(keyNode, $"{path}: keys must be plain strings, got {Describe(keyNode)}");
                continue;
            }
            // Duplicate keys never get here: YamlDotNet rejects them while loading, with their position.
            if (Field(key) is null)
                reader.Error(keyNode, $"{Join(path, key)}: unknown key '{key}'{DidYouMean.Hint(key, Keys)}");
            else given[key] = valueNode;
        }
        foreach (var (key, schema, required) in fields)
        {
            if (skip.Contains(key)) continue;
            if (given.TryGetValue(key, out var value)) map[key] = schema.Read(value, Join(path, key), reader);
            else if (!reader.Partial)
            {
                if (required) reader.Error(node, $"{path}: missing required key '{key}'");
                map[key] = schema.Default;
            }
        }
        return map;
    }

    /// <summary>
    /// Turns a partial map (only the keys given) into a full one in schema order: defaults fill the gaps, nested maps
    /// are completed too, and a missing required key is an error at <paramref name="at"/>.
    /// </summary>
    internal OrderedDictionary<string, object?> Complete(OrderedDictionary<string, object?> partial, string path, YamlNode at, ConfigReader reader)
    {
        var map = new OrderedDictionary<string, object?>();
        foreach (var (key, schema, required) in fields)
        {
            if (!partial.TryGetValue(key, out var value))
            {
                if (required) reader.Error(at, $"{path}: missing required key '{key}'");
                map[key] = schema.Default;
                continue;
            }
            var inner = schema is NullableSchema n ? n.Inner : schema;
            map[key] = inner is MapSchema m && value is OrderedDictionary<string, object?> sub ? m.Complete(sub, Join(path, key), at, reader) : value;
        }
        return map;
    }

    internal static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static SchemaNode WithDoc(SchemaNode schema, string doc)
    {
        if (schema.Doc.Length == 0) schema.Doc = doc;
        return schema;
    }
}

/// <summary>A mapping of any keys to plain values (env kwargs, connector options): read as is, not checked.</summary>
public sealed class FreeMapSchema : SchemaNode
{
    /// <inheritdoc/>
    public override string TypeName => "mapping of any values";

    /// <inheritdoc/>
    public override object? Default => new OrderedDictionary<string, object?>();

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (node is YamlMappingNode) return Plain(node);
        if (IsNull(node)) return Default;
        reader.Error(node, $"{path}: expected a mapping, got {Describe(node)}");
        return Default;
    }

    /// <summary>Converts a node to plain values: unquoted scalars become null, bool, long or double where they parse.</summary>
    internal static object? Plain(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode m:
                var map = new OrderedDictionary<string, object?>();
                foreach (var (k, v) in m.Children) map[(k as YamlScalarNode)?.Value ?? k.ToString()] = Plain(v);
                return map;
            case YamlSequenceNode s:
                var list = new List<object?>();
                foreach (var c in s.Children) list.Add(Plain(c));
                return list;
            case YamlScalarNode sc when sc.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted:
                return sc.Value;
            case YamlScalarNode sc:
                if (IsNull(sc)) return null;
                var text = sc.Value!;
                if (text is "true" or "True") return true;
                if (text is "false" or "False") return false;
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
                return text;
            default:
                return null;
        }
    }
}

/// <summary>A number or the word <c>auto</c> (optionally <c>auto_X</c>, X the initial value), as SB3's SAC <c>ent_coef</c>.</summary>
public sealed class AutoOrFloatSchema(FloatSchema bounds, string defaultValue = "auto") : SchemaNode
{
    /// <inheritdoc/>
    public override string TypeName => $"auto, auto_X or {bounds.TypeName}";

    /// <inheritdoc/>
    public override object? Default => defaultValue;

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (ScalarText(node, path, "auto or a number", reader) is not { } text) return defaultValue;
        if (text == "auto") return text;
        bool isAuto = text.StartsWith("auto_", StringComparison.Ordinal);
        if (!double.TryParse(isAuto ? text[5..] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            reader.Error(node, $"{path}: expected auto, auto_X or a number, got '{text}'");
            return defaultValue;
        }
        bounds.Check(value, node, path, reader);
        return isAuto ? text : value;
    }
}

/// <summary>How much of a replay buffer a checkpoint carries: <c>full</c>, <c>none</c>, or the newest N transitions.</summary>
public sealed class ReplayPartSchema : SchemaNode
{
    /// <inheritdoc/>
    public override string TypeName => "full, none or integer >= 0";

    /// <inheritdoc/>
    public override object? Default => "full";

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (ScalarText(node, path, "full, none or a number of transitions", reader) is not { } text) return Default;
        if (text is "full" or "none") return text;
        if (text.Length > 0 && char.IsAsciiDigit(text[0])) return new IntSchema(0, int.MaxValue).Read(node, path, reader) ?? Default;
        reader.Error(node, $"{path}: expected full, none or a number of transitions >= 0, got '{text}'");
        return Default;
    }
}
