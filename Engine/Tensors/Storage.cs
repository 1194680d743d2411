namespace RlPlat.Engine;

/// <summary>
/// The memory behind one or more tensors: a managed array (so the GC sees every byte) and a version counter that
/// in-place writes bump, so autograd can tell when a tensor it saved for backward was changed.
/// </summary>
public sealed partial class Storage
{
    private readonly Array? data;

    /// <summary>The element array: float[], double[], int[], long[], bool[] or byte[] (host storage only).</summary>
    public Array Data => data ?? throw HostAccessError();

    /// <summary>The dtype of <see cref="Data"/>.</summary>
    public DType DType { get; }

    /// <summary>Incremented by every in-place write through any tensor that views this storage.</summary>
    public int Version { get; internal set; }

    internal Storage(Array data, DType dtype)
    {
        this.data = data;
        DType = dtype;
    }

    /// <summary>Allocates zeroed storage for <paramref name="length"/> elements.</summary>
    public static Storage Allocate(DType dtype, int length) => new(dtype switch
    {
        DType.Float32 => length == 0 ? Array.Empty<float>() : new float[length],
        DType.Float64 => new double[length],
        DType.Int32 => new int[length],
        DType.Int64 => new long[length],
        DType.Bool => new bool[length],
        DType.UInt8 => new byte[length],
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    }, dtype);

    /// <summary>Allocates storage whose contents the caller overwrites: arrays above a few KB are not zeroed first.</summary>
    internal static Storage AllocateUninitialized(DType dtype, int length) => new(dtype switch
    {
        DType.Float32 => GC.AllocateUninitializedArray<float>(length),
        DType.Float64 => GC.AllocateUninitializedArray<double>(length),
        DType.Int32 => GC.AllocateUninitializedArray<int>(length),
        DType.Int64 => GC.AllocateUninitializedArray<long>(length),
        DType.Bool => GC.AllocateUninitializedArray<bool>(length),
        DType.UInt8 => GC.AllocateUninitializedArray<byte>(length),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    }, dtype);

    /// <summary>Number of elements in the array.</summary>
    public int Length => data?.Length ?? DeviceLength;

    /// <summary>The elements as a span of <typeparamref name="T"/>; T must match the dtype.</summary>
    public Span<T> Span<T>() where T : unmanaged => ((T[])Data).AsSpan();
}
