using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Engine.Benchmarks;

/// <summary>
/// Lazy evaluation against eager: an 8-op elementwise chain on 1M and 16M float32 elements (the peer runs the same chain
/// in PyTorch eager), and an Adam step over a 1M-parameter model. Each row also reports fused kernels per run.
/// </summary>
public static class LazyRows
{
    /// <summary>The chain: x·1.5 + 0.25, tanh, ·x, - 0.5, square, + 1, sqrt (the same in benchmarks/peers/torch_engine.py).</summary>
    public static Tensor Chain8(Tensor x) => x.Mul(1.5).Add(0.25).Tanh().Mul(x).Sub(0.5).Square().Add(1.0).Sqrt();

    /// <summary>Every lazy row; those without a suffix have a PyTorch peer (eager PyTorch, the same work).</summary>
    public static IEnumerable<BenchRow> All()
    {
        foreach (var (label, n) in new[] { ("1M", 1 << 20), ("16M", 1 << 24) })
        {
            var x = Tensor.Rand([n], new Generator(1)).Sub(0.5);
            yield return new BenchRow($"chain8_f32_{label}_eager", "ms/iter", false, () => Ms(() => Chain8(x)), () => 8);
            yield return new BenchRow($"chain8_f32_{label}", "ms/iter", false, () => Ms(() => Lazy(() => Chain8(x))),
                () => KernelsPerRun(() => Lazy(() => Chain8(x))));
            // The same, written into an existing tensor (PyTorch's out=): no fresh output memory per run.
            var into = Tensor.Zeros(n);
            yield return new BenchRow($"chain8_f32_{label}_into", "ms/iter", false, () => Ms(() => Into(into, x)), () => KernelsPerRun(() => Into(into, x)));
        }
        // Eager Adam is already one hand-fused loop per parameter (Optim.UpdateKernels): 2 for weight and bias.
        yield return new BenchRow("adam_f32_1M_eager", "ms/iter", false, () => AdamMs(lazy: false), () => 2);
        yield return new BenchRow("adam_f32_1M", "ms/iter", false, () => AdamMs(lazy: true), () => AdamKernels());
    }

    private static Tensor Lazy(Func<Tensor> f)
    {
        using (LazyMode.Scope()) return f().Realize();
    }

    private static void Into(Tensor into, Tensor x)
    {
        using (LazyMode.Scope()) into.CopyInPlace(Chain8(x));
    }

    private static double Ms(Action a) => Timing.SecondsPerCall(a, warmupSeconds: 0.5, batchSeconds: 0.1, batches: 7) * 1e3;

    private static long KernelsPerRun(Action a)
    {
        a();
        var before = LazyMode.Counters;
        a();
        return (LazyMode.Counters - before).KernelsLaunched;
    }

    /// <summary>A 1000x1000 weight and a 1000 bias (1,001,000 parameters) with gradients already computed.</summary>
    private static (Linear Model, Adam Opt) AdamSetup()
    {
        var model = new Linear(1000, 1000, generator: new Generator(2));
        model.Forward(Tensor.Randn([8, 1000], new Generator(3))).Square().Mean().Backward();
        return (model, new Adam(model, lr: 1e-4));
    }

    private static double AdamMs(bool lazy)
    {
        var (_, opt) = AdamSetup();
        return Ms(() =>
        {
            if (!lazy) { opt.Step(); return; }
            using (LazyMode.Scope()) opt.Step();
        });
    }

    private static long AdamKernels()
    {
        var (_, opt) = AdamSetup();
        return KernelsPerRun(() =>
        {
            using (LazyMode.Scope()) opt.Step();
        });
    }
}
