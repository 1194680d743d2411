namespace RlPlat.Connectors.Protocol;

/// <summary>Element types of wire tensors, with their names on the wire (numpy's names).</summary>
public enum WireDType
{
    /// <summary>"float32": <c>float[]</c>.</summary>
    Float32,
    /// <summary>"float64": <c>double[]</c>.</summary>
    Float64,
    /// <summary>"uint8": <c>byte[]</c>.</summary>
    UInt8,
    /// <summary>"int8": <c>sbyte[]</c>.</summary>
    Int8,
    /// <summary>"int32": <c>int[]</c>.</summary>
    Int32,
    /// <summary>"int64": <c>long[]</c>.</summary>
    Int64,
    /// <summary>"bool": <c>bool[]</c>, one byte each (0 or 1).</summary>
    Bool,
}

/// <summary>Names, sizes and .NET types of <see cref="WireDType"/>.</summary>
public static class WireDTypes
{
    /// <summary>The wire name ("float32", ...).</summary>
    public static string Name(WireDType dtype) => dtype switch
    {
        WireDType.Float32 => "float32",
        WireDType.Float64 => "float64",
        WireDType.UInt8 => "uint8",
        WireDType.Int8 => "int8",
        WireDType.Int32 => "int32",
        WireDType.Int64 => "int64",
        WireDType.Bool => "bool",
        _ => throw new ArgumentException($"WireDType: unknown value {(int)dtype}.", nameof(dtype)),
    };

    /// <summary>Parses a wire name; a <see cref="ProtocolException"/> names an unknown one.</summary>
    public static WireDType Parse(string name) => name switch
    {
        "float32" => WireDType.Float32,
        "float64" => WireDType.Float64,
        "uint8" => WireDType.UInt8,
        "int8" => WireDType.Int8,
        "int32" => WireDType.Int32,
        "int64" => WireDType.Int64,
        "bool" => WireDType.Bool,
        _ => throw new ProtocolException(ErrorCode.InvalidArgument, $"unknown dtype '{Truncate(name)}' (expected float32, float64, uint8, int8, int32, int64 or bool)"),
    };

    /// <summary>Bytes per element.</summary>
    public static int Size(WireDType dtype) => dtype switch
    {
        WireDType.Float64 or WireDType.Int64 => 8,
        WireDType.Float32 or WireDType.Int32 => 4,
        _ => 1,
    };

    /// <summary>The .NET element type.</summary>
    public static Type ElementType(WireDType dtype) => dtype switch
    {
        WireDType.Float32 => typeof(float),
        WireDType.Float64 => typeof(double),
        WireDType.UInt8 => typeof(byte),
        WireDType.Int8 => typeof(sbyte),
        WireDType.Int32 => typeof(int),
        WireDType.Int64 => typeof(long),
        _ => typeof(bool),
    };

    /// <summary>The dtype of a .NET array, or null when the array's element type has no wire form.</summary>
    public static WireDType? Of(Array array) => array switch
    {
        float[] => WireDType.Float32,
        double[] => WireDType.Float64,
        byte[] => WireDType.UInt8,
        sbyte[] => WireDType.Int8,
        int[] => WireDType.Int32,
        long[] => WireDType.Int64,
        bool[] => WireDType.Bool,
        _ => null,
    };

    internal static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
