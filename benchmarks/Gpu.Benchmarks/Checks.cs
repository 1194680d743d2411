using RlPlat.Engine;
using RlPlat.Engine.Backends.Gpu.Fusion;
using RlPlat.Engine.Lazy.Fusion;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Benchmarks.Gpu;

/// <summary>
/// The GPU-vs-CPU comparisons of tests/Engine.Tests/Gpu, per kernel family, at a small and a medium size: each check
/// runs the same computation on both devices and reports the largest absolute difference against its tolerance.
/// </summary>
internal static class Checks
{
    /// <summary>One family at one size: the largest error seen, the tolerance of that comparison, and the verdict.</summary>
    internal sealed record Result(string Family, string Size, double MaxError, double Tolerance, bool Passed, string? Error, string Where = "");

    private sealed record Case(string Family, Func<Device, int, (Tensor Gpu, Tensor Cpu, double Tol)[]> Run);

    /// <summary>
    /// Largest |a - b| over tensors (NaNs must match), relative to 1 + |b| so large values get float rounding room;
    /// with the two values where it occurs.
    /// </summary>
    private static (double Error, double Gpu, double Cpu) MaxError(Tensor gpu, Tensor cpu)
    {
        if (!gpu.Shape.SequenceEqual(cpu.Shape)) throw new InvalidOperationException($"shape {Shape.Format(gpu.ShapeSpan)} != {Shape.Format(cpu.ShapeSpan)}");
        var g = gpu.To(Device.Cpu).To(DType.Float64).ToArray<double>();
        var c = cpu.To(DType.Float64).ToArray<double>();
        (double Error, double Gpu, double Cpu) worst = (0, 0, 0);
        for (int i = 0; i < c.Length; i++)
        {
            if (double.IsNaN(c[i]) || double.IsNaN(g[i])) { if (double.IsNaN(c[i]) != double.IsNaN(g[i])) return (double.PositiveInfinity, g[i], c[i]); continue; }
            if (double.IsInfinity(c[i]) || double.IsInfinity(g[i])) { if (c[i] != g[i]) return (double.PositiveInfinity, g[i], c[i]); continue; }
            double e = Math.Abs(g[i] - c[i]) / (1 + Math.Abs(c[i]));
            if (e > worst.Error) worst = (e, g[i], c[i]);
        }
        return worst;
    }

    private static Tensor R(Generator g, params int[] shape) => Tensor.Randn(shape, g);

    private static readonly Case[] Cases =
    [
        new("transfer round trip", (d, s) =>
        {
            var x = R(new Generator(1), s * 64, 33);
            return [(x.To(d).To(Device.Cpu), x, 0), (x.To(DType.Int64).To(d), x.To(DType.Int64), 0), (x.Gt(0).To(d), x.Gt(0), 0)];
        }),
        new("elementwise unary", (d, s) =>
        {
            var x = R(new Generator(2), s * 128, 100);
            var gx = x.To(d);
            return [(gx.Exp(), x.Exp(), 1e-6), (gx.Tanh(), x.Tanh(), 1e-6), (gx.Sigmoid(), x.Sigmoid(), 1e-6), (gx.Abs().Log1p(), x.Abs().Log1p(), 1e-6),
                    (gx.Relu(), x.Relu(), 0), (gx.Gelu(), x.Gelu(), 1e-6), (gx.Softplus(), x.Softplus(), 1e-6), (gx.Mul(3).Round(), x.Mul(3).Round(), 0)];
        }),
        new("elementwise binary+broadcast", (d, s) =>
        {
            var g = new Generator(3);
            var a = R(g, s * 16, 8, 50);
            var b = R(g, 8, 1).Add(3);
            var ga = a.To(d);
            var gb = b.To(d);
            return [(ga.Add(gb), a.Add(b), 1e-6), (ga.Mul(gb), a.Mul(b), 1e-6), (ga.Div(gb), a.Div(b), 1e-6), (ga.Maximum(gb), a.Maximum(b), 0),
                    (ga.Abs().Pow(gb), a.Abs().Pow(b), 1e-5), (ga.Transpose(0, 2).Contiguous(), a.Transpose(0, 2).Contiguous(), 0), (ga.Narrow(2, 5, 20).Sub(1.5), a.Narrow(2, 5, 20).Sub(1.5), 1e-6)];
        }),
        new("compare/where/convert", (d, s) =>
        {
            var x = R(new Generator(4), s * 64, 70);
            var gx = x.To(d);
            return [(gx.Gt(0.5), x.Gt(0.5), 0), (Tensor.Where(gx.Lt(0), gx, 0.0), Tensor.Where(x.Lt(0), x, 0.0), 0), (gx.Mul(10).To(DType.Int32), x.Mul(10).To(DType.Int32), 0),
                    (gx.Clamp(-0.5, 0.5), x.Clamp(-0.5, 0.5), 0), (gx.To(DType.Int64).Add(gx.To(DType.Int64)), x.To(DType.Int64).Add(x.To(DType.Int64)), 0)];
        }),
        new("reductions sum/mean/max", (d, s) =>
        {
            var x = R(new Generator(5), s * 32, 40, 9);
            var gx = x.To(d);
            var big = R(new Generator(6), s * 50000);
            return [(gx.Sum(), x.Sum(), 1e-5), (gx.Sum(1), x.Sum(1), 1e-5), (gx.Mean([0, 2]), x.Mean([0, 2]), 1e-5), (gx.Amax([1]), x.Amax([1]), 0),
                    (gx.Max(), x.Max(), 0), (big.To(d).Sum(), big.Sum(), 1e-4)];
        }),
        new("argmax/argmin", (d, s) =>
        {
            var x = R(new Generator(7), s * 32, 300);
            var gx = x.To(d);
            return [(gx.ArgMax(1), x.ArgMax(1), 0), (gx.ArgMin(0), x.ArgMin(0), 0), (gx.ArgMax(), x.ArgMax(), 0)];
        }),
        new("softmax/log_softmax", (d, s) =>
        {
            var x = R(new Generator(8), s * 16, 1000).Mul(4);
            var gx = x.To(d);
            return [(gx.Softmax(-1), x.Softmax(-1), 1e-6), (gx.LogSoftmax(1), x.LogSoftmax(1), 1e-5), (gx.Softmax(0), x.Softmax(0), 1e-6)];
        }),
        new("matmul tiled", (d, s) => MatMul(d, s, cublas: false)),
        new("matmul cuBLAS", (d, s) =>
        {
            if (!RlPlat.Engine.Gpu.CuBlasAvailable(d, out var why)) throw new SkipException($"cuBLAS not loaded: {why}");
            return MatMul(d, s, cublas: true);
        }),
        new("gather/scatter/index_select", (d, s) =>
        {
            var g = new Generator(9);
            int rows = s * 64;
            var x = R(g, rows, 17);
            var idx = Tensor.Rand([rows, 5], g).Mul(17).Floor().To(DType.Int64);
            var sel = Tensor.Rand([rows / 2], g).Mul(rows).Floor().To(DType.Int64);
            var gx = x.To(d);
            var gi = idx.To(d);
            var gs = sel.To(d);
            var src = R(g, rows, 5);
            return [(gx.Gather(1, gi), x.Gather(1, idx), 0), (gx.ScatterAdd(1, gi, src.To(d)), x.ScatterAdd(1, idx, src), 1e-5),
                    (gx.IndexSelect(0, gs), x.IndexSelect(0, sel), 0), (gx.IndexAdd(0, gs, x.IndexSelect(0, sel).To(d)), x.IndexAdd(0, sel, x.IndexSelect(0, sel)), 1e-5)];
        }),
        new("conv2d fwd+bwd (im2col)", (d, s) =>
        {
            var g = new Generator(10);
            var conv = new Conv2d(3, 8, 3, stride: 2, padding: 1, generator: g);
            var x = R(g, s * 2, 3, 16, 16);
            var cx = x.Clone().RequiresGrad_();
            var cy = conv.Forward(cx);
            cy.Square().Sum().Backward();
            var cw = conv.Weight.Grad!.Clone();
            conv.ZeroGrad();
            conv.To(d);
            var gx = x.To(d).RequiresGrad_();
            var gy = conv.Forward(gx);
            gy.Square().Sum().Backward();
            var r = new[] { (gy.Detach(), cy.Detach(), 1e-5), (gx.Grad!, cx.Grad!, 1e-4), (conv.Weight.Grad!, cw, 1e-4) };
            conv.To(Device.Cpu);
            return r;
        }),
        new("optimizers sgd/adam/adamw", (d, s) => [Train(d, s, m => new SGD(m, lr: 0.05, momentum: 0.9, nesterov: true)), Train(d, s, m => new Adam(m, lr: 1e-2)),
                                                    Train(d, s, m => new AdamW(m, lr: 1e-2, weightDecay: 0.1, amsgrad: true))]),
        new("fused expressions", (d, s) =>
        {
            var t = ExprNode.Apply("Add", ExprNode.Apply("Mul", ExprNode.Input(0), ExprNode.Constant(0)), ExprNode.Broadcast(1));
            var root = ExprNode.Apply("Sub", ExprNode.Apply("Select", ExprNode.Apply("Gt", t, ExprNode.Constant(1)), ExprNode.Apply("Tanh", t), ExprNode.Apply("Square", t)),
                ExprNode.Apply("Sigmoid", ExprNode.Input(2)));
            int n = s * 4099;
            var g = new Generator(11);
            var a = R(g, n);
            var b = Tensor.FromArray(new float[] { 0.25f }, 1);
            var c = R(g, n);
            float[] constants = [1.5f, 0f];
            var expected = new float[n];
            FusedLauncher.Map(root, [a.ToArray(), b.ToArray(), c.ToArray()], [0, 0, 0], constants, expected, 0, n);
            return [(GpuFused.Map(root, [a.To(d), b.To(d), c.To(d)], constants, [n]), Tensor.FromArray(expected, n), 1e-6)];
        }),
        new("autograd MLP (cross-entropy)", (d, s) =>
        {
            var g = new Generator(12);
            var logits = R(g, s * 32, 6);
            var target = Tensor.Rand([s * 32], g).Mul(6).Floor().To(DType.Int64);
            var cpu = logits.Clone().RequiresGrad_();
            Functional.CrossEntropy(cpu, target).Backward();
            var dev = logits.To(d).RequiresGrad_();
            Functional.CrossEntropy(dev, target.To(d)).Backward();
            return [(dev.Grad!, cpu.Grad!, 1e-6)];
        }),
    ];

    private static (Tensor, Tensor, double)[] MatMul(Device d, int s, bool cublas)
    {
        bool saved = RlPlat.Engine.Gpu.UseCuBlas;
        RlPlat.Engine.Gpu.UseCuBlas = cublas;
        try
        {
            var g = new Generator(13);
            int m = s * 70 + 3, k = s * 37 + 5, n = s * 66 + 1;
            var a = R(g, m, k);
            var b = R(g, k, n);
            var ga = a.To(d);
            var gb = b.To(d);
            double tol = 1e-5 * Math.Sqrt(k) * 10;
            return [(ga.MatMul(gb), a.MatMul(b), tol), (gb.T.MatMul(ga.T), b.T.MatMul(a.T), tol), (R(g, 3, m, k).To(d).MatMul(gb), R(new Generator(13), 3, m, k).MatMul(b), double.PositiveInfinity)];
        }
        finally
        {
            RlPlat.Engine.Gpu.UseCuBlas = saved;
        }
    }

    /// <summary>Trains a small MLP 3 steps on the CPU and on the device from the same weights; compares the weights.</summary>
    private static (Tensor, Tensor, double) Train(Device d, int s, Func<Module, Optimizer> make)
    {
        Tensor Run(Device dev)
        {
            var g = new Generator(14);
            var net = Mlp.Create([4, 32, 32, 2], "tanh", generator: g);
            var x = R(g, s * 16, 4).To(dev);
            var y = R(g, s * 16, 2).To(dev);
            net.To(dev);
            var opt = make(net);
            for (int i = 0; i < 3; i++)
            {
                opt.ZeroGrad();
                Functional.MseLoss(net.Forward(x), y).Backward();
                opt.Step();
            }
            net.To(Device.Cpu);
            return Tensor.Cat(net.Parameters().Select(p => p.Value.Reshape(-1)).ToList(), 0);
        }
        return (Run(d), Run(Device.Cpu), 1e-5);
    }

    /// <summary>Thrown by a check that does not apply on this machine (reported as SKIP).</summary>
    private sealed class SkipException(string message) : Exception(message);

    /// <summary>Runs every family at the given scales, printing one line each; returns the results.</summary>
    internal static List<Result> Run(Device device, int[] scales, TextWriter log)
    {
        var results = new List<Result>();
        foreach (var scale in scales)
        {
            string size = scale == 1 ? "small" : $"medium(x{scale})";
            foreach (var c in Cases)
            {
                Console.Error.WriteLine($"[check] {c.Family} ({size})...");
                Result r;
                try
                {
                    double worst = 0, worstTol = 0;
                    string where = "";
                    bool ok = true;
                    int index = 0;
                    foreach (var (gpu, cpu, t) in c.Run(device, scale))
                    {
                        var (e, gv, cv) = MaxError(gpu, cpu);
                        int caseIndex = index++;
                        if (double.IsPositiveInfinity(t)) continue; // compared for shape only
                        bool within = e <= t;
                        if ((ok && (!within || e > worst)) || (!ok && !within && e > worst))
                        {
                            worst = e;
                            worstTol = t;
                            where = $"; worst in case {caseIndex}: gpu {gv:R} cpu {cv:R}";
                        }
                        ok &= within;
                    }
                    r = new Result(c.Family, size, worst, worstTol, ok, null, where);
                }
                catch (SkipException e)
                {
                    log.WriteLine($"  {c.Family,-30} {size,-12} SKIP  {e.Message}");
                    continue;
                }
                catch (Exception e)
                {
                    r = new Result(c.Family, size, double.NaN, 0, false, $"{e.GetType().Name}: {e.Message}");
                }
                results.Add(r);
                string verdict = r.Passed ? "PASS" : "FAIL";
                string detail = r.Error ?? $"max err {r.MaxError:E2} (tol {r.Tolerance:E1}; err = |gpu-cpu|/(1+|cpu|)){r.Where}";
                log.WriteLine($"  {r.Family,-30} {r.Size,-12} {verdict}  {detail}");
            }
        }
        return results;
    }
}
