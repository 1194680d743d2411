using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;
using RlPlat.Engine.Backends.Gpu.Kernels;
using RlPlat.Engine.Lazy.Fusion;

namespace RlPlat.Engine.Backends.Gpu.Fusion;

/// <summary>
/// Runs a fused elementwise <see cref="ExprNode"/> on a device: the expression becomes a nested generic struct type over
/// the GPU leaves (shared subexpressions let-bound, as the CPU's <see cref="FusedCompiler"/> does), closed into one
/// ILGPU kernel that is compiled once per expression and device.
/// </summary>
public static class GpuFused
{
    private static readonly ConcurrentDictionary<string, Type> Types = new();
    private static readonly System.Reflection.MethodInfo MapM = KernelMethods.Open(typeof(GpuFusedKernels), nameof(GpuFusedKernels.Map));

    private static readonly Dictionary<string, Type> UnaryOps = new()
    {
        ["Neg"] = typeof(GNeg), ["Abs"] = typeof(GAbs), ["Square"] = typeof(GSquare), ["Exp"] = typeof(GExp), ["Log"] = typeof(GLog),
        ["Sqrt"] = typeof(GSqrt), ["Recip"] = typeof(GReciprocal), ["Sin"] = typeof(GSin), ["Cos"] = typeof(GCos), ["Relu"] = typeof(GRelu),
        ["Sigmoid"] = typeof(GSigmoid), ["Tanh"] = typeof(GTanh),
    };

    private static readonly Dictionary<string, Type> BinaryOps = new()
    {
        ["Add"] = typeof(GAdd), ["Sub"] = typeof(GSub), ["Mul"] = typeof(GMul), ["Div"] = typeof(GDiv), ["Max"] = typeof(GMaximum),
        ["Min"] = typeof(GMinimum), ["Pow"] = typeof(GPow),
    };

    private static readonly ExprTypeTable Leaves = new(
        [typeof(GIn0), typeof(GIn1), typeof(GIn2), typeof(GIn3), typeof(GIn4), typeof(GIn5), typeof(GIn6), typeof(GIn7)],
        [typeof(GBc0), typeof(GBc1), typeof(GBc2), typeof(GBc3), typeof(GBc4), typeof(GBc5), typeof(GBc6), typeof(GBc7)],
        [typeof(GC0), typeof(GC1), typeof(GC2), typeof(GC3), typeof(GC4), typeof(GC5), typeof(GC6), typeof(GC7)],
        [typeof(GLet0<,>), typeof(GLet1<,>), typeof(GLet2<,>), typeof(GLet3<,>)],
        [typeof(GRef0), typeof(GRef1), typeof(GRef2), typeof(GRef3)],
        OpType);

    /// <summary>The GPU expression type of <paramref name="root"/> (cached by the expression's canonical text).</summary>
    internal static Type TypeOf(ExprNode root) => Types.GetOrAdd(root.ToString(), _ => Build(root));

    private static Type Build(ExprNode root) => ExprTypeBuilder.Build(root, Leaves);

    private static Type OpType(ExprNode n, Type[] args)
    {
        if (n.Kind == ExprKind.Op)
        {
            if (UnaryOps.TryGetValue(n.Op!, out var u)) return typeof(GUnary<,>).MakeGenericType(u, args[0]);
            if (BinaryOps.TryGetValue(n.Op!, out var b)) return typeof(GBinary<,,>).MakeGenericType(b, args[0], args[1]);
            if (n.Op == "Gt") return typeof(GGreater<,>).MakeGenericType(args[0], args[1]);
            if (n.Op == "Select") return typeof(GSelect<,,>).MakeGenericType(args[0], args[1], args[2]);
        }
        throw new NotSupportedException($"fused op '{n.Op ?? n.Kind.ToString()}' has no GPU kernel");
    }

    /// <summary>
    /// dst[i] = root(i) over contiguous float32 device tensor <paramref name="dst"/>: input slot k reads contiguous
    /// <paramref name="inputs"/>[k] element i (one element for a broadcast slot), constant slot k is <paramref name="constants"/>[k].
    /// </summary>
    public static void Map(ExprNode root, Tensor[] inputs, float[] constants, Tensor dst)
    {
        if (!dst.IsOnGpu || dst.DType != DType.Float32 || !dst.IsContiguous)
            throw new ArgumentException($"GpuFused.Map: the destination must be a contiguous float32 device tensor, got {dst.DType.Name()} on {dst.Device}");
        if (inputs.Length > 8 || constants.Length > 8) throw new ArgumentException($"GpuFused.Map: at most 8 inputs and 8 constants, got {inputs.Length} and {constants.Length}");
        var dev = GpuTensors.DeviceOf(dst);
        var frame = new GpuFrame();
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = GpuTensors.On(dev, inputs[k], "fused kernel");
            if (x.DType != DType.Float32 || !x.IsContiguous || (x.Numel != dst.Numel && x.Numel != 1))
                throw new ArgumentException($"GpuFused.Map: input {k} must be a contiguous float32 tensor of {dst.Numel} elements (or 1 for a broadcast slot), got {x.DType.Name()} {Engine.Shape.Format(x.shape)}");
            frame.SetInput(k, GpuTensors.View<float>(x), x.offset);
        }
        for (int k = 0; k < constants.Length; k++) frame.SetConstant(k, constants[k]);
        if (dst.Numel == 0) return;
        // Unused slots still need a valid view for the launcher.
        for (int k = inputs.Length; k < 8; k++) frame.SetInput(k, GpuTensors.View<float>(dst), 0);
        dev.Bind();
        dev.AutoKernel<Action<AcceleratorStream, Index1D, ArrayView<float>, int, GpuFrame>>(KernelMethods.Close(MapM, TypeOf(root)))(
            dev.Stream, dst.Numel, GpuTensors.View<float>(dst), dst.offset, frame);
    }

    /// <summary>A new device tensor of <paramref name="shape"/> holding root(i) (see <see cref="Map(ExprNode, Tensor[], float[], Tensor)"/>).</summary>
    public static Tensor Map(ExprNode root, Tensor[] inputs, float[] constants, int[] shape)
    {
        if (inputs.Length == 0 || !inputs[0].IsOnGpu) throw new ArgumentException("GpuFused.Map: the first input must be a device tensor (it picks the device)");
        var dst = GpuTensors.Empty(GpuTensors.DeviceOf(inputs[0]), DType.Float32, (int[])shape.Clone(), zero: false);
        Map(root, inputs, constants, dst);
        return dst;
    }

    /// <summary>Σ root(i) over <paramref name="n"/> elements, on the device (a 0-d float32 device tensor; accumulated in double).</summary>
    public static Tensor Sum(ExprNode root, Tensor[] inputs, float[] constants, int n)
    {
        var mapped = Map(root, inputs, constants, [n]);
        return GpuReductions.Rows(mapped, 1, n, [], RowReduction.Sum);
    }
}
