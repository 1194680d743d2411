namespace RlPlat.Engine;

/// <summary>Element types a tensor can hold.</summary>
public enum DType : byte
{
    Float32,
    Float64,
    Int32,
    Int64,
    Bool,
    UInt8,
}

/// <summary>Facts about each <see cref="DType"/>.</summary>
public static class DTypes
{
    /// <summary>Bytes per element.</summary>
    public static int SizeOf(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        DType.Bool or DType.UInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for float32 and float64.</summary>
    public static bool IsFloat(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>The .NET element type that stores this dtype (bool is stored as <see cref="bool"/>).</summary>
    public static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int32 => typeof(int),
        DType.Int64 => typeof(long),
        DType.Bool => typeof(bool),
        DType.UInt8 => typeof(byte),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The dtype stored by .NET type <typeparamref name="T"/>.</summary>
    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(int) ? DType.Int32 :
        typeof(T) == typeof(long) ? DType.Int64 :
        typeof(T) == typeof(bool) ? DType.Bool :
        typeof(T) == typeof(byte) ? DType.UInt8 :
        throw new ArgumentException($"no tensor dtype stores {typeof(T).Name}");

    /// <summary>NumPy's type promotion for two operands (bool &lt; uint8 &lt; int32 &lt; int64 &lt; float32 &lt; float64, as PyTorch).</summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b) return a;
        static int Rank(DType d) => d switch
        {
            DType.Bool => 0, DType.UInt8 => 1, DType.Int32 => 2, DType.Int64 => 3, DType.Float32 => 4, DType.Float64 => 5, _ => -1,
        };
        return Rank(a) >= Rank(b) ? a : b;
    }

    /// <summary>The lower-case name used in printing and errors (float32, int64, ...).</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32", DType.Float64 => "float64", DType.Int32 => "int32",
        DType.Int64 => "int64", DType.Bool => "bool", DType.UInt8 => "uint8", _ => dtype.ToString(),
    };
}
