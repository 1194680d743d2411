using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using RlPlat.Engine.Backends.Gpu.Kernels;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>
/// The device side of Gather, Scatter, ScatterAdd, IndexSelect and IndexAdd. Each builds strided views so one kernel
/// walks the index (or output) shape: the indexed dim gets stride 0 in the view and index·stride is added in the kernel.
/// Index bounds are checked on the device; the check costs one synchronization per call.
/// </summary>
internal static class GpuIndexing
{
    private static readonly Type K = typeof(IndexingKernels);
    private static readonly MethodInfo GatherM = KernelMethods.Open(K, nameof(IndexingKernels.Gather)), ScatterM = KernelMethods.Open(K, nameof(IndexingKernels.Scatter));
    private static readonly MethodInfo AddFM = KernelMethods.Open(K, nameof(IndexingKernels.ScatterAddF)), AddDM = KernelMethods.Open(K, nameof(IndexingKernels.ScatterAddD));

    /// <summary>A view of <paramref name="t"/>'s storage with <paramref name="shape"/> and <paramref name="strides"/> (no copy).</summary>
    private static Tensor ViewOf(Tensor t, int[] shape, int[] strides) => new(t.storage, shape, strides, t.offset);

    private static int[] ZeroAt(int[] strides, int d)
    {
        var s = (int[])strides.Clone();
        s[d] = 0;
        return s;
    }

    private static Tensor Index(GpuDevice dev, Tensor index, string op) => GpuTensors.On(dev, index, op).To(DType.Int64).Contiguous();

    /// <summary>out[..., j, ...] = x[..., index[..., j, ...], ...] along <paramref name="d"/>; out has index's shape.</summary>
    internal static Tensor Gather(Tensor x, int d, Tensor index)
    {
        var dev = GpuTensors.DeviceOf(x);
        var idx = Index(dev, index, "Gather");
        var y = GpuTensors.Empty(dev, x.DType, (int[])index.shape.Clone(), zero: false);
        if (y.Numel == 0) return y;
        var xv = ViewOf(x, y.shape, ZeroAt(x.strides, d));
        var elem = ElementType(x.DType);
        Launch(KernelMethods.Close(GatherM, elem), elem, dev, idx, xv, y, Layout.For(y, idx, xv, op: "Gather"), x.strides[d], x.shape[d], "Gather", d);
        return y;
    }

    /// <summary>The entries of dim <paramref name="d"/> at the positions in 1-D <paramref name="index"/>.</summary>
    internal static Tensor IndexSelect(Tensor x, int d, Tensor index)
    {
        var dev = GpuTensors.DeviceOf(x);
        var idx = Index(dev, index.Reshape(-1), "IndexSelect");
        var shape = (int[])x.shape.Clone();
        shape[d] = idx.Numel;
        var y = GpuTensors.Empty(dev, x.DType, shape, zero: false);
        if (y.Numel == 0) return y;
        var xv = ViewOf(x, shape, ZeroAt(x.strides, d));
        var iv = IndexAlong(idx, shape, d);
        var elem = ElementType(x.DType);
        Launch(KernelMethods.Close(GatherM, elem), elem, dev, iv, xv, y, Layout.For(y, iv, xv, op: "IndexSelect"), x.strides[d], x.shape[d], "IndexSelect", d);
        return y;
    }

    /// <summary>A view of 1-D index <paramref name="idx"/> broadcast over <paramref name="shape"/>, varying along <paramref name="d"/>.</summary>
    private static Tensor IndexAlong(Tensor idx, int[] shape, int d)
    {
        var s = new int[shape.Length];
        s[d] = 1;
        return ViewOf(idx, shape, s);
    }

    /// <summary>
    /// <paramref name="y"/> (a fresh contiguous copy of the target) gets src written (or added) along <paramref name="d"/> at
    /// the index positions. With <paramref name="alongIndex"/>, index is 1-D and src spans the other dims (IndexAdd);
    /// otherwise index and src walk index's shape (Scatter, ScatterAdd).
    /// </summary>
    internal static void ScatterInto(Tensor y, int d, Tensor index, Tensor src, bool add, bool alongIndex, string op)
    {
        var dev = GpuTensors.DeviceOf(y);
        var idx = Index(dev, alongIndex ? index.Reshape(-1) : index, op);
        src = GpuTensors.On(dev, src, op).To(y.DType);
        var shape = alongIndex ? (int[])src.shape.Clone() : (int[])idx.shape.Clone();
        if (Engine.Shape.Numel(shape) == 0) return;
        var yv = ViewOf(y, shape, ZeroAt(y.strides, d));
        var iv = alongIndex ? IndexAlong(idx, shape, d) : idx;
        var sv = alongIndex ? src : ViewOf(src, shape, src.strides);
        var l = Layout.For(yv, iv, sv, op: op);
        MethodInfo m;
        Type elem;
        if (!add) { elem = ElementType(y.DType); m = KernelMethods.Close(ScatterM, elem); }
        else if (y.DType == DType.Float32) { elem = typeof(float); m = AddFM; }
        else if (y.DType == DType.Float64) { elem = typeof(double); m = AddDM; }
        else throw new NotSupportedException($"{op} in {y.DType.Name()} is not supported on {dev.Device}: device scatter-add handles float32 and float64; move to the CPU with .To(Device.Cpu)");
        Launch(m, elem, dev, iv, sv, yv, l, y.strides[d], y.shape[d], op, d);
    }

    private static Type ElementType(DType dt) => dt.SizeOf() switch { 1 => typeof(byte), 4 => typeof(int), _ => typeof(long) };

    private static void Launch(MethodInfo m, Type elem, GpuDevice dev, Tensor index, Tensor a, Tensor b, Layout l, int stride, int size, string op, int d)
    {
        var error = GpuTensors.Empty(dev, DType.Int32, [1], zero: true);
        dev.Bind();
        int n = Engine.Shape.Numel(b.shape);
        if (elem == typeof(byte)) Run<byte>(m, dev, n, index, a, b, l, stride, size, error);
        else if (elem == typeof(int)) Run<int>(m, dev, n, index, a, b, l, stride, size, error);
        else if (elem == typeof(long)) Run<long>(m, dev, n, index, a, b, l, stride, size, error);
        else if (elem == typeof(float)) Run<float>(m, dev, n, index, a, b, l, stride, size, error);
        else Run<double>(m, dev, n, index, a, b, l, stride, size, error);
        if (error.Item<int>() != 0)
            throw new ArgumentException($"{op}: an index is out of range for dim {d} of size {size}");
    }

    private static void Run<T>(MethodInfo m, GpuDevice dev, int n, Tensor index, Tensor a, Tensor b, Layout l, int stride, int size, Tensor error) where T : unmanaged =>
        dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<long>, ArrayView<T>, ArrayView<T>, Layout, int, int, ArrayView<int>>>(m)(
            dev.Stream, n, GpuTensors.View<long>(index), GpuTensors.View<T>(a), GpuTensors.View<T>(b), l, stride, size, GpuTensors.View<int>(error));
}
