using ILGPU;
using ILGPU.Runtime;
using RlPlat.Engine.Backends.Gpu.Kernels;
using RlPlat.Engine.NN;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>The device side of <c>Functional.Unfold</c>/<c>Fold</c> (im2col/col2im); Conv2d is Unfold + Linear on top of them.</summary>
internal static class GpuConv
{
    private static readonly System.Reflection.MethodInfo UnfoldM = KernelMethods.Open(typeof(ConvKernels), nameof(ConvKernels.Unfold));
    private static readonly System.Reflection.MethodInfo FoldFM = KernelMethods.Open(typeof(ConvKernels), nameof(ConvKernels.FoldF));
    private static readonly System.Reflection.MethodInfo FoldDM = KernelMethods.Open(typeof(ConvKernels), nameof(ConvKernels.FoldD));

    private static ConvArgs Args(int n, int c, int h, int w, Window2d win, int imgOff, int colOff) => new()
    {
        N = n, C = c, H = h, W = w, KH = win.KernelH, KW = win.KernelW, SH = win.StrideH, SW = win.StrideW, PH = win.PadH, PW = win.PadW,
        DH = win.DilationH, DW = win.DilationW, OH = win.OutH(h), OW = win.OutW(w), ImgOff = imgOff, ColOff = colOff,
    };

    /// <summary>Patches [N·OH·OW, C·KH·KW] of contiguous device image <paramref name="x"/> [N, C, H, W].</summary>
    internal static Tensor Unfold(Tensor x, Window2d win)
    {
        var dev = GpuTensors.DeviceOf(x);
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        var cols = GpuTensors.Empty(dev, x.DType, [n * win.OutH(h) * win.OutW(w), c * win.KernelH * win.KernelW], zero: false);
        if (cols.Numel == 0) return cols;
        dev.Bind();
        var a = Args(n, c, h, w, win, x.offset, 0);
        if (x.DType == DType.Float32) LaunchUnfold<float>(dev, x, cols, a);
        else LaunchUnfold<double>(dev, x, cols, a);
        return cols;
    }

    private static void LaunchUnfold<T>(GpuDevice dev, Tensor x, Tensor cols, ConvArgs a) where T : unmanaged =>
        dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<T>, ArrayView<T>, ConvArgs>>(KernelMethods.Close(UnfoldM, typeof(T)))(
            dev.Stream, cols.Numel, GpuTensors.View<T>(x), GpuTensors.View<T>(cols), a);

    /// <summary>The image of <paramref name="shape"/> that sums contiguous device patches <paramref name="cols"/> back (col2im).</summary>
    internal static Tensor Fold(Tensor cols, int[] shape, Window2d win)
    {
        var dev = GpuTensors.DeviceOf(cols);
        var img = GpuTensors.Empty(dev, cols.DType, (int[])shape.Clone(), zero: false);
        if (img.Numel == 0) return img;
        dev.Bind();
        var a = Args(shape[0], shape[1], shape[2], shape[3], win, 0, cols.offset);
        if (cols.DType == DType.Float32)
            dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ConvArgs>>(FoldFM)(dev.Stream, img.Numel, GpuTensors.View<float>(cols), GpuTensors.View<float>(img), a);
        else
            dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<double>, ArrayView<double>, ConvArgs>>(FoldDM)(dev.Stream, img.Numel, GpuTensors.View<double>(cols), GpuTensors.View<double>(img), a);
        return img;
    }
}
