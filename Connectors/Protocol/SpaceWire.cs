using System.Globalization;
using RlPlat.Environments;

namespace RlPlat.Connectors.Protocol;

/// <summary>Converts between the env project's spaces and their wire descriptions.</summary>
public static class SpaceWire
{
    /// <summary>The wire description of <paramref name="space"/>; custom space types become kind "other".</summary>
    public static SpaceDescription Describe(Space space) => space switch
    {
        Box box => new SpaceDescription("box", box.DType switch
        {
            BoxDType.Float32 => WireDType.Float32,
            BoxDType.Float64 => WireDType.Float64,
            BoxDType.UInt8 => WireDType.UInt8,
            BoxDType.Int32 => WireDType.Int32,
            _ => WireDType.Int64,
        }, (int[])box.Shape.Clone(), box.Low, box.High),
        Discrete d => new SpaceDescription("discrete", WireDType.Int64, [], N: d.N, Start: [d.Start]),
        MultiDiscrete md => new SpaceDescription("multi_discrete", WireDType.Int64, [md.Nvec.Length], Nvec: ToLongs(md.Nvec), Start: ToLongs(md.Start)),
        MultiBinary mb => new SpaceDescription("multi_binary", WireDType.UInt8, (int[])mb.Shape.Clone()),
        DictSpace dict => new SpaceDescription("dict", WireDType.Float32, [], Children: Children(dict.Spaces)),
        TupleSpace tuple => new SpaceDescription("tuple", WireDType.Float32, [], Children: Children(tuple.Spaces)),
        _ => new SpaceDescription("other", WireDType.Float32, (int[])space.Shape.Clone(), TypeName: space.GetType().Name),
    };

    /// <summary>Rebuilds a space from its description; bounds or sizes the env project rejects give a protocol error.</summary>
    public static Space Rebuild(SpaceDescription d)
    {
        try
        {
            return d.Kind switch
            {
                "box" => new Box(d.Low!, d.High!, d.Shape, d.DType switch
                {
                    WireDType.Float32 => BoxDType.Float32,
                    WireDType.Float64 => BoxDType.Float64,
                    WireDType.UInt8 => BoxDType.UInt8,
                    WireDType.Int32 => BoxDType.Int32,
                    WireDType.Int64 => BoxDType.Int64,
                    _ => throw new ArgumentException($"a box cannot have dtype {WireDTypes.Name(d.DType)}"),
                }),
                "discrete" => new Discrete(checked((int)d.N), checked((int)d.Start![0])),
                "multi_discrete" => new MultiDiscrete(ToInts(d.Nvec!), ToInts(d.Start!)),
                "multi_binary" => new MultiBinary(d.Shape),
                "dict" => new DictSpace(d.Children!.ToDictionary(c => c.Key, c => Rebuild(c.Value))),
                "tuple" => new TupleSpace(d.Children!.Select(c => Rebuild(c.Value)).ToArray()),
                _ => new OpaqueSpace(d.Shape, d.TypeName ?? "other"),
            };
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new ProtocolException(ErrorCode.InvalidArgument, $"space {d.Kind} cannot be built: {e.Message}", e);
        }
    }

    private static List<KeyValuePair<string, SpaceDescription>> Children(IReadOnlyDictionary<string, Space> spaces)
    {
        var list = new List<KeyValuePair<string, SpaceDescription>>(spaces.Count);
        foreach (var (key, space) in spaces) list.Add(new(key, Describe(space)));
        return list;
    }

    private static List<KeyValuePair<string, SpaceDescription>> Children(IReadOnlyList<Space> spaces)
    {
        var list = new List<KeyValuePair<string, SpaceDescription>>(spaces.Count);
        for (int i = 0; i < spaces.Count; i++) list.Add(new(i.ToString(CultureInfo.InvariantCulture), Describe(spaces[i])));
        return list;
    }

    private static long[] ToLongs(int[] values) => Array.ConvertAll(values, v => (long)v);

    private static int[] ToInts(long[] values) => Array.ConvertAll(values, v => checked((int)v));
}

/// <summary>
/// A remote space of a type this side does not know (a custom space): it keeps the shape, samples nothing useful and
/// accepts any value, leaving validation to the side that owns the real space.
/// </summary>
public sealed class OpaqueSpace(int[] shape, string typeName) : Space<object>
{
    /// <summary>The remote space's type name.</summary>
    public string TypeName { get; } = typeName;

    /// <inheritdoc/>
    public override int[] Shape { get; } = shape;

    /// <summary>An opaque space cannot sample: the remote side owns the real space.</summary>
    public override object Sample() => throw new InvalidOperationException($"OpaqueSpace: cannot sample the remote space {TypeName}; sample on the side that defines it.");

    /// <inheritdoc/>
    public override bool Contains(object value) => value is not null;
}
