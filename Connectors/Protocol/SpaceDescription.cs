using System.Globalization;
using MessagePack;

namespace RlPlat.Connectors.Protocol;

/// <summary>
/// A space as the wire describes it in the handshake (and a recording in its header): enough for the peer to rebuild
/// the space and to convert values it receives into the space's element types.
/// </summary>
/// <param name="Kind">"box", "discrete", "multi_discrete", "multi_binary", "dict", "tuple", or "other" (a custom space: shape only).</param>
/// <param name="DType">Element dtype (box); int64 for discrete kinds, uint8 for multi_binary.</param>
/// <param name="Shape">Shape of one element.</param>
/// <param name="Low">Box lower bounds (one per element).</param>
/// <param name="High">Box upper bounds.</param>
/// <param name="N">Discrete: number of values.</param>
/// <param name="Start">Discrete: first value; multi_discrete: first value per dimension.</param>
/// <param name="Nvec">Multi-discrete: number of values per dimension.</param>
/// <param name="Children">Dict/tuple: the sub-spaces in order (tuple keys are "0", "1", ...).</param>
/// <param name="TypeName">Other: the .NET type name of the space, for messages.</param>
public sealed record SpaceDescription(
    string Kind,
    WireDType DType,
    int[] Shape,
    double[]? Low = null,
    double[]? High = null,
    long N = 0,
    long[]? Start = null,
    long[]? Nvec = null,
    IReadOnlyList<KeyValuePair<string, SpaceDescription>>? Children = null,
    string? TypeName = null)
{
    /// <summary>The most children a dict/tuple space may have on the wire (untrusted input stays small).</summary>
    public const int MaxChildren = 1024;

    /// <summary>Writes the description as a MessagePack map.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        switch (Kind)
        {
            case "box":
                writer.WriteMapHeader(5);
                writer.Write("kind"); writer.Write(Kind);
                writer.Write("dtype"); writer.Write(WireDTypes.Name(DType));
                WriteInts(ref writer, "shape", Shape);
                WriteDoubles(ref writer, "low", Low!);
                WriteDoubles(ref writer, "high", High!);
                break;
            case "discrete":
                writer.WriteMapHeader(3);
                writer.Write("kind"); writer.Write(Kind);
                writer.Write("n"); writer.Write(N);
                writer.Write("start"); writer.Write(Start![0]);
                break;
            case "multi_discrete":
                writer.WriteMapHeader(3);
                writer.Write("kind"); writer.Write(Kind);
                WriteLongs(ref writer, "nvec", Nvec!);
                WriteLongs(ref writer, "start", Start!);
                break;
            case "multi_binary":
                writer.WriteMapHeader(2);
                writer.Write("kind"); writer.Write(Kind);
                WriteInts(ref writer, "shape", Shape);
                break;
            case "dict":
                writer.WriteMapHeader(2);
                writer.Write("kind"); writer.Write(Kind);
                writer.Write("spaces");
                writer.WriteMapHeader(Children!.Count);
                foreach (var (key, child) in Children) { writer.Write(key); child.Write(ref writer); }
                break;
            case "tuple":
                writer.WriteMapHeader(2);
                writer.Write("kind"); writer.Write(Kind);
                writer.Write("spaces");
                writer.WriteArrayHeader(Children!.Count);
                foreach (var (_, child) in Children) child.Write(ref writer);
                break;
            default:
                writer.WriteMapHeader(3);
                writer.Write("kind"); writer.Write("other");
                writer.Write("type"); writer.Write(TypeName ?? "");
                WriteInts(ref writer, "shape", Shape);
                break;
        }
    }

    /// <summary>Parses a description from a decoded map (see <see cref="ValueCodec.ReadMap"/>); errors name the field.</summary>
    public static SpaceDescription FromMap(object? value, string where)
    {
        if (value is not Dictionary<string, object?> map) throw Bad(where, "is not a map");
        string kind = Field<string>(map, "kind", where);
        switch (kind)
        {
            case "box":
            {
                var shape = Ints(map, "shape", where);
                int size = ValueCodec.ShapeSize(shape);
                var low = Doubles(map, "low", where);
                var high = Doubles(map, "high", where);
                if (low.Length != size || high.Length != size) throw Bad(where, $"has {low.Length} low and {high.Length} high bounds for shape [{string.Join(",", shape)}]");
                return new SpaceDescription(kind, WireDTypes.Parse(Field<string>(map, "dtype", where)), shape, low, high);
            }
            case "discrete":
            {
                long n = Field<long>(map, "n", where);
                if (n < 1) throw Bad(where, $"has n = {n}; it must be at least 1");
                return new SpaceDescription(kind, WireDType.Int64, [], N: n, Start: [Field<long>(map, "start", where)]);
            }
            case "multi_discrete":
            {
                var nvec = Longs(map, "nvec", where);
                var start = Longs(map, "start", where);
                if (start.Length != nvec.Length) throw Bad(where, $"has {nvec.Length} nvec and {start.Length} start values");
                return new SpaceDescription(kind, WireDType.Int64, [nvec.Length], Nvec: nvec, Start: start);
            }
            case "multi_binary":
                return new SpaceDescription(kind, WireDType.UInt8, Ints(map, "shape", where));
            case "dict":
            {
                if (map.GetValueOrDefault("spaces") is not Dictionary<string, object?> spaces || spaces.Count > MaxChildren)
                    throw Bad(where, $"needs 'spaces': a map of at most {MaxChildren} sub-spaces");
                var children = new List<KeyValuePair<string, SpaceDescription>>(spaces.Count);
                foreach (var (key, child) in spaces) children.Add(new(key, FromMap(child, where + "." + key)));
                return new SpaceDescription(kind, WireDType.Float32, [], Children: children);
            }
            case "tuple":
            {
                if (map.GetValueOrDefault("spaces") is not object?[] spaces || spaces.Length > MaxChildren)
                    throw Bad(where, $"needs 'spaces': an array of at most {MaxChildren} sub-spaces");
                var children = new List<KeyValuePair<string, SpaceDescription>>(spaces.Length);
                for (int i = 0; i < spaces.Length; i++)
                {
                    string key = i.ToString(CultureInfo.InvariantCulture);
                    children.Add(new(key, FromMap(spaces[i], $"{where}[{key}]")));
                }
                return new SpaceDescription(kind, WireDType.Float32, [], Children: children);
            }
            case "other":
                return new SpaceDescription(kind, WireDType.Float32, Ints(map, "shape", where), TypeName: map.GetValueOrDefault("type") as string);
            default:
                throw new ProtocolException(ErrorCode.Unimplemented, $"{where}: unknown space kind '{WireDTypes.Truncate(kind)}'");
        }
    }

    /// <summary>
    /// Converts a decoded value (from the wire or a log) into this space's .NET element type: box -> the dtype's array,
    /// discrete -> int, multi_discrete -> int[], multi_binary -> byte[], dict -> Dictionary, tuple -> object[].
    /// Values that cannot fit (wrong length, non-integral discrete) give a <see cref="ProtocolException"/> naming them.
    /// </summary>
    public object Coerce(object? value, string where)
    {
        switch (Kind)
        {
            case "box":
                return ToArray(value, WireDTypes.ElementType(DType), ValueCodec.ShapeSize(Shape), where);
            case "discrete":
                return checked((int)ToInteger(value, where));
            case "multi_discrete":
                return (int[])ToArray(value, typeof(int), Nvec!.Length, where);
            case "multi_binary":
                return (byte[])ToArray(value, typeof(byte), ValueCodec.ShapeSize(Shape), where);
            case "dict":
            {
                if (value is not Dictionary<string, object?> map) throw Bad(where, $"expected a map for a dict space, got {Describe(value)}");
                var result = new Dictionary<string, object>(Children!.Count);
                foreach (var (key, child) in Children)
                {
                    if (!map.TryGetValue(key, out var item)) throw Bad(where, $"lacks key '{key}'");
                    result[key] = child.Coerce(item, where + "." + key);
                }
                if (map.Count != Children.Count) throw Bad(where, $"has {map.Count} keys; the dict space has {Children.Count}");
                return result;
            }
            case "tuple":
            {
                if (value is not object?[] items || items.Length != Children!.Count)
                    throw Bad(where, $"expected an array of {Children!.Count} items for a tuple space, got {Describe(value)}");
                var result = new object[items.Length];
                for (int i = 0; i < items.Length; i++) result[i] = Children[i].Value.Coerce(items[i], $"{where}[{i}]");
                return result;
            }
            default:
                return value ?? throw Bad(where, "is nil");
        }
    }

    /// <summary>The .NET type that <see cref="Coerce"/> returns for this space (what a typed env's observation or action is).</summary>
    public Type ElementType => Kind switch
    {
        "box" => WireDTypes.ElementType(DType).MakeArrayType(),
        "discrete" => typeof(int),
        "multi_discrete" => typeof(int[]),
        "multi_binary" => typeof(byte[]),
        "dict" => typeof(IReadOnlyDictionary<string, object>),
        "tuple" => typeof(object[]),
        _ => typeof(object),
    };

    /// <summary>Shape to write a value of this space with (null for non-tensor kinds).</summary>
    public int[]? TensorShape => Kind is "box" or "multi_binary" or "multi_discrete" ? Shape : null;

    private static Array ToArray(object? value, Type element, int count, string where)
    {
        if (value is not Array source) throw Bad(where, $"expected {count} {element.Name} values, got {Describe(value)}");
        if (source.Length != count) throw Bad(where, $"expected {count} values, got {source.Length}");
        if (source.GetType().GetElementType() == element) return source;
        var result = Array.CreateInstance(element, count);
        for (int i = 0; i < count; i++)
        {
            object item = source.GetValue(i)!;
            try { result.SetValue(Convert.ChangeType(item is bool b ? (b ? 1 : 0) : item, element, CultureInfo.InvariantCulture), i); }
            catch (OverflowException) { throw Bad(where, $"value {item} at index {i} does not fit {element.Name}"); }
        }
        return result;
    }

    private static long ToInteger(object? value, string where) => value switch
    {
        long l => l,
        int i => i,
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => (long)d,
        byte b => b,
        sbyte sb => sb,
        float f when f == MathF.Floor(f) && Math.Abs(f) < 1e7 => (long)f,
        Array { Length: 1 } a when a.GetValue(0) is not Array => ToInteger(a.GetValue(0), where),
        _ => throw Bad(where, $"expected an integer, got {Describe(value)}"),
    };

    private static string Describe(object? value) => value switch
    {
        null => "nil",
        Array a => $"{a.GetType().GetElementType()!.Name}[{a.Length}]",
        string s => $"\"{WireDTypes.Truncate(s)}\"",
        _ => $"{value} ({value.GetType().Name})",
    };

    private static ProtocolException Bad(string where, string what) => new(ErrorCode.InvalidArgument, $"{where} {what}");

    private static T Field<T>(Dictionary<string, object?> map, string key, string where) =>
        map.GetValueOrDefault(key) is T t ? t : throw Bad(where, $"needs '{key}' of type {typeof(T).Name}");

    private static object?[] Items(Dictionary<string, object?> map, string key, string where) =>
        map.GetValueOrDefault(key) is object?[] items ? items : throw Bad(where, $"needs '{key}' as an array");

    private static int[] Ints(Dictionary<string, object?> map, string key, string where)
    {
        var items = Items(map, key, where);
        var result = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
            result[i] = items[i] is long l && l >= 0 && l <= int.MaxValue ? (int)l : throw Bad(where, $"'{key}'[{i}] is not a non-negative int32");
        return result;
    }

    private static long[] Longs(Dictionary<string, object?> map, string key, string where)
    {
        var items = Items(map, key, where);
        var result = new long[items.Length];
        for (int i = 0; i < items.Length; i++) result[i] = items[i] is long l ? l : throw Bad(where, $"'{key}'[{i}] is not an integer");
        return result;
    }

    private static double[] Doubles(Dictionary<string, object?> map, string key, string where)
    {
        var items = Items(map, key, where);
        var result = new double[items.Length];
        for (int i = 0; i < items.Length; i++)
            result[i] = items[i] switch { double d => d, long l => l, _ => throw Bad(where, $"'{key}'[{i}] is not a number") };
        return result;
    }

    private static void WriteInts(ref MessagePackWriter writer, string key, int[] values)
    {
        writer.Write(key);
        writer.WriteArrayHeader(values.Length);
        foreach (int v in values) writer.Write(v);
    }

    private static void WriteLongs(ref MessagePackWriter writer, string key, long[] values)
    {
        writer.Write(key);
        writer.WriteArrayHeader(values.Length);
        foreach (long v in values) writer.Write(v);
    }

    private static void WriteDoubles(ref MessagePackWriter writer, string key, double[] values)
    {
        writer.Write(key);
        writer.WriteArrayHeader(values.Length);
        foreach (double v in values) writer.Write(v);
    }
}
