using ILGPU;
using ILGPU.Runtime;
using RlPlat.Engine.Backends.Gpu.Kernels;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>The device side of the SGD and Adam/AdamW updates (float32 parameters; one kernel launch per parameter).</summary>
internal static class GpuOptim
{
    private static readonly System.Reflection.MethodInfo AdamM = KernelMethods.Open(typeof(OptimKernels), nameof(OptimKernels.Adam));
    private static readonly System.Reflection.MethodInfo SgdM = KernelMethods.Open(typeof(OptimKernels), nameof(OptimKernels.Sgd));

    private static GpuDevice Check(string opt, Tensor p, Tensor grad, params Tensor[] state)
    {
        var dev = GpuTensors.DeviceOf(p);
        GpuTensors.On(dev, grad, opt);
        foreach (var s in state) GpuTensors.On(dev, s, opt);
        if (p.DType != DType.Float32 || grad.DType != DType.Float32)
            throw new NotSupportedException($"{opt}.Step with {p.DType.Name()} parameters is not supported on {dev.Device}: the GPU updates are float32; convert the module with .To(DType.Float32) or train on the CPU");
        if (!p.IsContiguous || !grad.IsContiguous) throw new InvalidOperationException($"{opt}.Step: parameter and gradient must be contiguous");
        return dev;
    }

    /// <summary>One Adam/AdamW step of parameter <paramref name="p"/> in place.</summary>
    internal static void Adam(Tensor p, Tensor grad, Tensor m, Tensor v, Tensor? vMax, double beta1, double beta2, double stepSize, double bc2Sqrt, double eps, double l2, double decay)
    {
        var dev = Check("Adam", p, grad, m, v);
        if (p.Numel == 0) return;
        var args = new AdamArgs
        {
            Beta1 = (float)beta1, Beta2 = (float)beta2, StepSize = (float)stepSize, Bc2Sqrt = (float)bc2Sqrt, Eps = (float)eps, L2 = (float)l2, Decay = (float)decay,
            Amsgrad = vMax != null ? 1 : 0, POff = p.offset, GOff = grad.offset,
        };
        dev.Bind();
        dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamArgs>>(AdamM)(
            dev.Stream, p.Numel, GpuTensors.View<float>(p), GpuTensors.View<float>(grad), GpuTensors.Elements<float>(m), GpuTensors.Elements<float>(v),
            GpuTensors.Elements<float>(vMax ?? m), args);
    }

    /// <summary>One SGD step of parameter <paramref name="p"/> in place (<paramref name="buf"/> null without momentum).</summary>
    internal static void Sgd(Tensor p, Tensor grad, Tensor? buf, double lr, double wd, double momentum, double dampening, bool nesterov, bool first)
    {
        var dev = buf != null ? Check("SGD", p, grad, buf) : Check("SGD", p, grad);
        if (p.Numel == 0) return;
        var args = new SgdArgs
        {
            Lr = (float)lr, Wd = (float)wd, Momentum = (float)momentum, Dampening = (float)dampening,
            Nesterov = nesterov ? 1 : 0, First = first ? 1 : 0, UseMomentum = buf != null ? 1 : 0, POff = p.offset, GOff = grad.offset,
        };
        dev.Bind();
        dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, SgdArgs>>(SgdM)(
            dev.Stream, p.Numel, GpuTensors.View<float>(p), GpuTensors.View<float>(grad), GpuTensors.View<float>(buf ?? p), args);
    }
}
