using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RlPlat.Engine;

/// <summary>
/// An N-dimensional array: storage + shape + strides + offset + dtype. Views (reshape, permute, slice, expand, ...) share
/// storage; operations return new tensors and, when an input requires grad, record how to differentiate themselves.
/// </summary>
public sealed partial class Tensor
{
    internal readonly Storage storage;
    internal readonly int[] shape;
    internal readonly int[] strides;
    internal readonly int offset;
    private readonly int numel;

    internal Tensor(Storage storage, int[] shape, int[] strides, int offset)
    {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        numel = Engine.Shape.Numel(shape);
    }

    /// <summary>A new contiguous, zero-filled tensor.</summary>
    internal static Tensor Empty(DType dtype, int[] shape)
    {
        int n = Engine.Shape.Numel(shape);
        return new Tensor(Storage.Allocate(dtype, n), shape, StridesFor(shape), 0);
    }

    /// <summary>A new contiguous tensor that the caller overwrites completely (large outputs skip zeroing the memory).</summary>
    internal static Tensor Uninitialized(DType dtype, int[] shape)
    {
        int n = Engine.Shape.Numel(shape);
        return new Tensor(Storage.AllocateUninitialized(dtype, n), shape, StridesFor(shape), 0);
    }

    private static readonly int[] UnitStride = [1];

    /// <summary>Contiguous strides; 0-d and 1-d tensors share one immutable array (internal arrays are never written).</summary>
    private static int[] StridesFor(int[] shape) => shape.Length switch
    {
        0 => Engine.Shape.Scalar,
        1 => UnitStride,
        _ => Engine.Shape.ContiguousStrides(shape),
    };

    /// <summary>The element type.</summary>
    public DType DType => storage.DType;

    /// <summary>The sizes of each dimension (a copy).</summary>
    public int[] Shape => (int[])shape.Clone();

    /// <summary>The sizes without copying.</summary>
    public ReadOnlySpan<int> ShapeSpan => shape;

    /// <summary>Element strides of each dimension (a copy).</summary>
    public int[] Strides => (int[])strides.Clone();

    /// <summary>Index of the first element in the storage.</summary>
    public int Offset => offset;

    /// <summary>The shared storage.</summary>
    public Storage Storage => storage;

    /// <summary>Number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>Alias of <see cref="Rank"/> (PyTorch's <c>dim()</c>).</summary>
    public int Dim => shape.Length;

    /// <summary>Number of elements.</summary>
    public int Numel => numel;

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Size(int dim) => shape[Engine.Shape.NormalizeDim(dim, Rank, "Size")];

    /// <summary>True when the elements are laid out in row-major order without gaps.</summary>
    public bool IsContiguous
    {
        get
        {
            if (numel == 0) return true; // nothing to lay out (PyTorch's rule too)
            int expected = 1;
            for (int i = shape.Length - 1; i >= 0; i--)
            {
                if (shape[i] == 1) continue;
                if (strides[i] != expected) return false;
                expected *= shape[i];
            }
            return true;
        }
    }

    /// <summary>The whole storage array as a span of <typeparamref name="T"/> (T must match the dtype).</summary>
    internal Span<T> StorageSpan<T>() where T : unmanaged
    {
        CheckType<T>();
        return Unsafe.As<T[]>(storage.Data).AsSpan();
    }

    /// <summary>The elements of a contiguous tensor, without copying; writes are seen by the tensor.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (!IsContiguous) throw new InvalidOperationException($"AsSpan: tensor of shape {Engine.Shape.Format(shape)} with strides {Engine.Shape.Format(strides)} is not contiguous; call Contiguous() first");
        return StorageSpan<T>().Slice(offset, numel);
    }

    /// <summary>The float32 elements of a contiguous tensor, without copying.</summary>
    public Span<float> AsSpan() => AsSpan<float>();

    /// <summary>The elements of a contiguous tensor as <see cref="Memory{T}"/>, without copying.</summary>
    public Memory<T> AsMemory<T>() where T : unmanaged
    {
        if (!IsContiguous) throw new InvalidOperationException($"AsMemory: tensor of shape {Engine.Shape.Format(shape)} is not contiguous; call Contiguous() first");
        CheckType<T>();
        return new Memory<T>((T[])storage.Data, offset, numel);
    }

    /// <summary>A copy of the elements in row-major order.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        CheckType<T>();
        // A download lands in a fresh array of exactly numel elements: hand it out without another copy.
        if (storage.gpu != null) return (T[])Backends.Gpu.GpuTensors.Download(this).storage.Data;
        var c = Contiguous();
        return c.StorageSpan<T>().Slice(c.offset, numel).ToArray();
    }

    /// <summary>A copy of the float32 elements in row-major order.</summary>
    public float[] ToArray() => ToArray<float>();

    /// <summary>The value of a one-element tensor.</summary>
    public T Item<T>() where T : unmanaged
    {
        if (numel != 1) throw new InvalidOperationException($"Item: tensor of shape {Engine.Shape.Format(shape)} has {numel} elements, not 1");
        CheckType<T>();
        if (storage.gpu != null) return Backends.Gpu.GpuTensors.Download(this).Item<T>();
        return StorageSpan<T>()[offset];
    }

    /// <summary>The value of a one-element tensor as a double, whatever its dtype.</summary>
    public double Item()
    {
        if (numel != 1) throw new InvalidOperationException($"Item: tensor of shape {Engine.Shape.Format(shape)} has {numel} elements, not 1");
        if (storage.gpu != null) return Backends.Gpu.GpuTensors.Download(this).Item();
        return GetAsDouble(offset);
    }

    /// <summary>Reads the element at <paramref name="index"/> (one index per dim) as a double.</summary>
    public double GetValue(params int[] index) => GetAsDouble(StorageIndex(index));

    /// <summary>Reads one element at a storage index, converted to double.</summary>
    internal double GetAsDouble(int storageIndex) => storage.Data switch
    {
        float[] f => f[storageIndex],
        double[] d => d[storageIndex],
        int[] i => i[storageIndex],
        long[] l => l[storageIndex],
        bool[] b => b[storageIndex] ? 1 : 0,
        byte[] u => u[storageIndex],
        _ => throw new InvalidOperationException("unknown storage"),
    };

    /// <summary>The storage index of the element at <paramref name="index"/>.</summary>
    internal int StorageIndex(ReadOnlySpan<int> index)
    {
        if (index.Length != Rank) throw new ArgumentException($"index has {index.Length} entries for a tensor of rank {Rank} (shape {Engine.Shape.Format(shape)})");
        int o = offset;
        for (int d = 0; d < index.Length; d++)
        {
            int i = index[d];
            if (i < -shape[d] || i >= shape[d]) throw new ArgumentException($"index {i} is out of range for dim {d} of size {shape[d]}");
            o += (i < 0 ? i + shape[d] : i) * strides[d];
        }
        return o;
    }

    /// <summary>Writes one element (an in-place change: bumps the storage version).</summary>
    public void Set(double value, params int[] index)
    {
        CheckInPlace("Set");
        int o = StorageIndex(index);
        switch (storage.Data)
        {
            case float[] f: f[o] = (float)value; break;
            case double[] d: d[o] = value; break;
            case int[] i: i[o] = (int)value; break;
            case long[] l: l[o] = (long)value; break;
            case bool[] b: b[o] = value != 0; break;
            case byte[] u: u[o] = (byte)value; break;
        }
        storage.Version++;
    }

    private void CheckType<T>() where T : unmanaged
    {
        if (storage.gpu != null ? DTypes.Of<T>() != DType : storage.Data is not T[]) throw new InvalidOperationException($"tensor has dtype {DType.Name()}, not {typeof(T).Name}");
    }

    /// <summary>True when this tensor and <paramref name="other"/> view the same storage.</summary>
    public bool SharesStorageWith(Tensor other) => ReferenceEquals(storage, other.storage);

    internal static T[] ArrayOf<T>(Tensor t) where T : unmanaged => Unsafe.As<T[]>(t.storage.Data);

    internal ref T Ref<T>(int storageIndex) where T : unmanaged => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(ArrayOf<T>(this)), storageIndex);
}
