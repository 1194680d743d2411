namespace RlPlat.Engine;

/// <summary>
/// The memory behind one or more tensors: a managed array (so the GC sees every byte) and a version counter that
/// in-place writes bump, so autograd can tell when a tensor it saved for backward was changed.
/// </summary>
public sealed partial class Storage
{
    /// <summary>The element array: float[], double[], int[], long[], bool[] or byte[] (host storage only; a lazy storage computes it first).</summary>
    public Array Data
    {
        get
        {
            if (pending != null) Lazy.LazyRealizer.Realize(pending);
            return data ?? throw (IsReleased ? ReleasedError() : HostAccessError());
        }
    }

    private Array? data;

    /// <summary>The dtype of <see cref="Data"/>.</summary>
    public DType DType { get; }

    /// <summary>Incremented by every in-place write through any tensor that views this storage.</summary>
    public int Version { get; internal set; }

    internal Storage(Array data, DType dtype)
    {
        this.data = data;
        DType = dtype;
    }

    // ---------- lazy evaluation (logic in Engine/Lazy) ----------

    /// <summary>The graph node whose result this storage will hold; null once realized (and for every eager storage).</summary>
    internal Lazy.LazyNode? pending;

    /// <summary>A storage whose values <paramref name="node"/> computes when they are first read.</summary>
    internal Storage(Lazy.LazyNode node, DType dtype)
    {
        data = Array.Empty<float>();
        pending = node;
        DType = dtype;
    }

    /// <summary>Installs the computed array of a lazy storage.</summary>
    internal void Fulfil(Array values, StoragePool.Recycler? pooled)
    {
        if (IsReleased) return; // disposed while pending: the result is not wanted here
        data = values;
        recycler = pooled;
        pending = null;
    }

    // ---------- end of lazy evaluation ----------

    /// <summary>Allocates zeroed storage for <paramref name="length"/> elements (large arrays recycled by <see cref="StoragePool"/>).</summary>
    public static Storage Allocate(DType dtype, int length) => new(StoragePool.Allocate(dtype, length, zeroed: true, out var r), dtype) { recycler = r };

    /// <summary>Allocates storage whose contents the caller overwrites: arrays above a few KB are not zeroed first.</summary>
    internal static Storage AllocateUninitialized(DType dtype, int length) => new(StoragePool.Allocate(dtype, length, zeroed: false, out var r), dtype) { recycler = r };

    /// <summary>Number of elements in the array.</summary>
    public int Length => pending?.Numel ?? data?.Length ?? (gpu != null ? DeviceLength : throw ReleasedError());

    /// <summary>The elements as a span of <typeparamref name="T"/>; T must match the dtype.</summary>
    public Span<T> Span<T>() where T : unmanaged => ((T[])Data).AsSpan();
}
