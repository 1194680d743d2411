using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using RlPlat.Engine.Backends.Gpu.Kernels;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>
/// The device side of <c>Kernels.Elementwise</c>: unary, scalar, binary (broadcasting), comparison, copy/convert, fill
/// and where. Float32 and float64 run natively; integer and bool dtypes are computed in float64 and converted back.
/// </summary>
internal static class GpuElementwise
{
    private static readonly Type K = typeof(ElementwiseKernels);
    private static readonly MethodInfo UnaryFM = KernelMethods.Open(K, nameof(ElementwiseKernels.UnaryF)), UnaryDM = KernelMethods.Open(K, nameof(ElementwiseKernels.UnaryD));
    private static readonly MethodInfo ScalarFM = KernelMethods.Open(K, nameof(ElementwiseKernels.ScalarF)), ScalarDM = KernelMethods.Open(K, nameof(ElementwiseKernels.ScalarD));
    private static readonly MethodInfo BinaryFM = KernelMethods.Open(K, nameof(ElementwiseKernels.BinaryF)), BinaryDM = KernelMethods.Open(K, nameof(ElementwiseKernels.BinaryD));
    private static readonly MethodInfo CompareFM = KernelMethods.Open(K, nameof(ElementwiseKernels.CompareF)), CompareDM = KernelMethods.Open(K, nameof(ElementwiseKernels.CompareD));
    private static readonly MethodInfo CopyM = KernelMethods.Open(K, nameof(ElementwiseKernels.Copy)), ConvertM = KernelMethods.Open(K, nameof(ElementwiseKernels.Convert));
    private static readonly MethodInfo FillM = KernelMethods.Open(K, nameof(ElementwiseKernels.Fill)), WhereM = KernelMethods.Open(K, nameof(ElementwiseKernels.Where));

    /// <summary>y = op(x); y is new (x's dtype and shape) or <paramref name="into"/>.</summary>
    internal static Tensor Unary(Type cpuOp, Tensor x, Tensor? into, bool floatOnly)
    {
        var dev = GpuTensors.DeviceOf(x);
        if (into != null) GpuTensors.On(dev, into, GpuOpTable.Name(cpuOp));
        var op = GpuOpTable.Twin(cpuOp, x.Device);
        if (floatOnly && !x.DType.IsFloat()) throw new ArgumentException($"{GpuOpTable.Name(cpuOp)}: needs a float tensor, got {x.DType.Name()}");
        if (x.DType == DType.Bool) throw new ArgumentException($"{GpuOpTable.Name(cpuOp)}: not defined for dtype bool");
        var y = into ?? GpuTensors.Empty(dev, x.DType, (int[])x.shape.Clone(), zero: false);
        if (y.Numel == 0) return y;
        if (!x.DType.IsFloat()) return Widened(x, y, w => Unary(cpuOp, w, null, false));
        dev.Bind();
        var l = Layout.For(y, x, op: GpuOpTable.Name(cpuOp));
        if (x.DType == DType.Float32)
            dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, Layout>>(KernelMethods.Close(UnaryFM, op))(dev.Stream, y.Numel, GpuTensors.View<float>(x), GpuTensors.View<float>(y), l);
        else
            dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<double>, ArrayView<double>, Layout>>(KernelMethods.Close(UnaryDM, op))(dev.Stream, y.Numel, GpuTensors.View<double>(x), GpuTensors.View<double>(y), l);
        return y;
    }

    /// <summary>y = op(x, s) or op(s, x) in x's dtype.</summary>
    internal static Tensor Scalar(Type cpuOp, Tensor x, double s, bool scalarFirst, Tensor? into = null)
    {
        var dev = GpuTensors.DeviceOf(x);
        var op = GpuOpTable.Twin(cpuOp, x.Device);
        if (x.DType == DType.Bool) throw new ArgumentException($"{GpuOpTable.Name(cpuOp)}: not defined for dtype bool");
        var y = into ?? GpuTensors.Empty(dev, x.DType, (int[])x.shape.Clone(), zero: false);
        if (y.Numel == 0) return y;
        if (!x.DType.IsFloat()) return Widened(x, y, w => Scalar(cpuOp, w, s, scalarFirst));
        dev.Bind();
        var l = Layout.For(y, x, op: GpuOpTable.Name(cpuOp));
        if (x.DType == DType.Float32)
            dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, Layout, float, int>>(KernelMethods.Close(ScalarFM, op))(dev.Stream, y.Numel, GpuTensors.View<float>(x), GpuTensors.View<float>(y), l, (float)s, scalarFirst ? 1 : 0);
        else
            dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<double>, ArrayView<double>, Layout, double, int>>(KernelMethods.Close(ScalarDM, op))(dev.Stream, y.Numel, GpuTensors.View<double>(x), GpuTensors.View<double>(y), l, s, scalarFirst ? 1 : 0);
        return y;
    }

    /// <summary>y = op(a, b) with broadcasting; a and b share a dtype. A one-element CPU operand becomes a kernel scalar.</summary>
    internal static Tensor Binary(Type cpuOp, Tensor a, Tensor b, int[] shape, Tensor? into, bool floatOnly)
    {
        string name = GpuOpTable.Name(cpuOp);
        if (floatOnly && !a.DType.IsFloat()) throw new ArgumentException($"{name}: needs float tensors, got {a.DType.Name()}");
        if (b.storage.gpu == null && b.Numel == 1 && a.storage.gpu != null && (into == null || into.IsOnGpu) && a.shape.AsSpan().SequenceEqual(shape))
            return Scalar(cpuOp, a, b.GetAsDouble(b.offset), false, into);
        if (a.storage.gpu == null && a.Numel == 1 && b.storage.gpu != null && into == null && b.shape.AsSpan().SequenceEqual(shape))
            return Scalar(cpuOp, b, a.GetAsDouble(a.offset), true);
        var dev = (a.storage.gpu ?? b.storage.gpu ?? into!.storage.gpu)!.Owner;
        a = GpuTensors.On(dev, a, name);
        b = GpuTensors.On(dev, b, name);
        if (into != null) GpuTensors.On(dev, into, name);
        var op = GpuOpTable.Twin(cpuOp, dev.Device);
        if (a.DType == DType.Bool) throw new ArgumentException($"{name}: not defined for dtype bool");
        var y = into ?? GpuTensors.Empty(dev, a.DType, shape, zero: false);
        if (y.Numel == 0) return y;
        if (!a.DType.IsFloat())
        {
            var wa = a.To(DType.Float64);
            var wb = b.To(DType.Float64);
            return Narrowed(Binary(cpuOp, wa, wb, shape, null, false), y);
        }
        dev.Bind();
        var l = Layout.For(y, a, b, op: name);
        if (a.DType == DType.Float32)
            dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, Layout>>(KernelMethods.Close(BinaryFM, op))(dev.Stream, y.Numel, GpuTensors.View<float>(a), GpuTensors.View<float>(b), GpuTensors.View<float>(y), l);
        else
            dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, Layout>>(KernelMethods.Close(BinaryDM, op))(dev.Stream, y.Numel, GpuTensors.View<double>(a), GpuTensors.View<double>(b), GpuTensors.View<double>(y), l);
        return y;
    }

    /// <summary>A bool tensor of op(a, b) with broadcasting.</summary>
    internal static Tensor Compare(Type cpuOp, Tensor a, Tensor b, int[] shape)
    {
        string name = GpuOpTable.Name(cpuOp);
        var dev = (a.storage.gpu ?? b.storage.gpu)!.Owner;
        a = GpuTensors.On(dev, a, name);
        b = GpuTensors.On(dev, b, name);
        var op = GpuOpTable.Twin(cpuOp, dev.Device);
        var y = GpuTensors.Empty(dev, DType.Bool, shape, zero: false);
        if (y.Numel == 0) return y;
        if (a.DType != DType.Float32 && a.DType != DType.Float64) { a = a.To(DType.Float64); b = b.To(DType.Float64); }
        dev.Bind();
        var l = Layout.For(y, a, b, op: name);
        if (a.DType == DType.Float32)
            dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ArrayView<byte>, Layout>>(KernelMethods.Close(CompareFM, op))(dev.Stream, y.Numel, GpuTensors.View<float>(a), GpuTensors.View<float>(b), GpuTensors.View<byte>(y), l);
        else
            dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<double>, ArrayView<double>, ArrayView<byte>, Layout>>(KernelMethods.Close(CompareDM, op))(dev.Stream, y.Numel, GpuTensors.View<double>(a), GpuTensors.View<double>(b), GpuTensors.View<byte>(y), l);
        return y;
    }

    /// <summary>Runs <paramref name="f"/> on x widened to float64 and writes the result converted into y.</summary>
    private static Tensor Widened(Tensor x, Tensor y, Func<Tensor, Tensor> f) => Narrowed(f(x.To(DType.Float64)), y);

    private static Tensor Narrowed(Tensor wide, Tensor y)
    {
        Copy(wide, y);
        return y;
    }

    /// <summary>Copies <paramref name="src"/> (broadcast to dst's shape, converted) into <paramref name="dst"/>; either may be on the host.</summary>
    internal static void Copy(Tensor src, Tensor dst)
    {
        if (dst.Numel == 0) return;
        if (dst.storage.gpu == null)
        {
            // Device to host: download, then the CPU copy does the broadcasting and conversion.
            Engine.Kernels.Elementwise.Copy(GpuTensors.Download(src), dst);
            return;
        }
        var dev = dst.storage.gpu.Owner;
        if (src.storage.gpu == null)
        {
            if (src.Numel == 1) { Fill(dst, src.GetAsDouble(src.offset), src.DType); return; }
            src = GpuTensors.Upload(src, dev);
        }
        else GpuTensors.On(dev, src, "Copy");
        dev.Bind();
        var l = Layout.For(dst, src, op: "Copy");
        if (src.DType == dst.DType) CopySame(dev, src, dst, l);
        else ConvertFrom(dev, src, dst, l);
    }

    private static void CopySame(GpuDevice dev, Tensor src, Tensor dst, Layout l)
    {
        switch (src.DType.SizeOf())
        {
            case 1: LaunchCopy<byte>(dev, src, dst, l); break;
            case 4: LaunchCopy<int>(dev, src, dst, l); break;
            default: LaunchCopy<long>(dev, src, dst, l); break;
        }
    }

    private static void LaunchCopy<T>(GpuDevice dev, Tensor src, Tensor dst, Layout l) where T : unmanaged =>
        dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<T>, ArrayView<T>, Layout>>(KernelMethods.Close(CopyM, typeof(T)))(dev.Stream, dst.Numel, GpuTensors.View<T>(src), GpuTensors.View<T>(dst), l);

    private static void ConvertFrom(GpuDevice dev, Tensor src, Tensor dst, Layout l)
    {
        switch (src.DType)
        {
            case DType.Float32: ConvertTo<float, F32>(dev, src, dst, l); break;
            case DType.Float64: ConvertTo<double, F64>(dev, src, dst, l); break;
            case DType.Int32: ConvertTo<int, I32>(dev, src, dst, l); break;
            case DType.Int64: ConvertTo<long, I64>(dev, src, dst, l); break;
            case DType.Bool: ConvertTo<byte, B8>(dev, src, dst, l); break;
            case DType.UInt8: ConvertTo<byte, U8>(dev, src, dst, l); break;
        }
    }

    private static void ConvertTo<TS, ES>(GpuDevice dev, Tensor src, Tensor dst, Layout l) where TS : unmanaged where ES : struct, IElem<TS>
    {
        switch (dst.DType)
        {
            case DType.Float32: LaunchConvert<TS, float, ES, F32>(dev, src, dst, l); break;
            case DType.Float64: LaunchConvert<TS, double, ES, F64>(dev, src, dst, l); break;
            case DType.Int32: LaunchConvert<TS, int, ES, I32>(dev, src, dst, l); break;
            case DType.Int64: LaunchConvert<TS, long, ES, I64>(dev, src, dst, l); break;
            case DType.Bool: LaunchConvert<TS, byte, ES, B8>(dev, src, dst, l); break;
            case DType.UInt8: LaunchConvert<TS, byte, ES, U8>(dev, src, dst, l); break;
        }
    }

    private static void LaunchConvert<TS, TD, ES, ED>(GpuDevice dev, Tensor src, Tensor dst, Layout l) where TS : unmanaged where TD : unmanaged =>
        dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<TS>, ArrayView<TD>, Layout>>(KernelMethods.Close(ConvertM, typeof(TS), typeof(TD), typeof(ES), typeof(ED)))(
            dev.Stream, dst.Numel, GpuTensors.View<TS>(src), GpuTensors.View<TD>(dst), l);

    /// <summary>Sets every element of device tensor <paramref name="dst"/> to <paramref name="value"/> (given in <paramref name="from"/>'s terms).</summary>
    internal static void Fill(Tensor dst, double value, DType from = DType.Float64)
    {
        if (dst.Numel == 0) return;
        var dev = GpuTensors.DeviceOf(dst);
        dev.Bind();
        var l = Layout.For(dst, null, op: "Fill");
        switch (dst.DType)
        {
            case DType.Float32: LaunchFill(dev, dst, l, (float)value); break;
            case DType.Float64: LaunchFill(dev, dst, l, value); break;
            case DType.Int32: LaunchFill(dev, dst, l, (int)value); break;
            case DType.Int64: LaunchFill(dev, dst, l, (long)value); break;
            case DType.Bool: LaunchFill(dev, dst, l, value != 0 || double.IsNaN(value) ? (byte)1 : (byte)0); break;
            case DType.UInt8: LaunchFill(dev, dst, l, unchecked((byte)(long)value)); break;
        }
    }

    private static void LaunchFill<T>(GpuDevice dev, Tensor dst, Layout l, T value) where T : unmanaged =>
        dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<T>, Layout, T>>(KernelMethods.Close(FillM, typeof(T)))(dev.Stream, dst.Numel, GpuTensors.View<T>(dst), l, value);

    /// <summary>y = mask ? a : b with broadcasting to <paramref name="shape"/>; a and b share a dtype.</summary>
    internal static Tensor Where(Tensor mask, Tensor a, Tensor b, int[] shape)
    {
        var dev = (a.storage.gpu ?? b.storage.gpu ?? mask.storage.gpu)!.Owner;
        mask = GpuTensors.On(dev, mask.Bool(), "Where");
        a = GpuTensors.On(dev, a, "Where");
        b = GpuTensors.On(dev, b, "Where");
        var y = GpuTensors.Empty(dev, a.DType, shape, zero: false);
        if (y.Numel == 0) return y;
        dev.Bind();
        var l = Layout.For(y, a, b, mask, "Where");
        switch (a.DType.SizeOf())
        {
            case 1: LaunchWhere<byte>(dev, mask, a, b, y, l); break;
            case 4: LaunchWhere<int>(dev, mask, a, b, y, l); break;
            default: LaunchWhere<long>(dev, mask, a, b, y, l); break;
        }
        return y;
    }

    private static void LaunchWhere<T>(GpuDevice dev, Tensor mask, Tensor a, Tensor b, Tensor y, Layout l) where T : unmanaged =>
        dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<byte>, ArrayView<T>, ArrayView<T>, ArrayView<T>, Layout>>(KernelMethods.Close(WhereM, typeof(T)))(
            dev.Stream, y.Numel, GpuTensors.View<byte>(mask), GpuTensors.View<T>(a), GpuTensors.View<T>(b), GpuTensors.View<T>(y), l);
}
