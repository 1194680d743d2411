using RlPlat.Engine.Kernels;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Engine.Benchmarks;

/// <summary>
/// Autograd bookkeeping on RL-sized work: forward + MSE + backward (and an Adam step) of a 4-64-64-2 tanh MLP at batch 64,
/// µs per iteration; the <c>_1t</c> rows run both sides on one thread.
/// </summary>
public static class MlpRows
{
    /// <summary>mlp_4_64_64_2_fwd_bwd_b64 and mlp_4_64_64_2_adam_b64, each on all threads and on one.</summary>
    public static IEnumerable<BenchRow> All()
    {
        yield return new BenchRow("mlp_4_64_64_2_fwd_bwd_b64", "us/iter", false, () => Microseconds(adam: false, threads: 0));
        yield return new BenchRow("mlp_4_64_64_2_fwd_bwd_b64_1t", "us/iter", false, () => Microseconds(adam: false, threads: 1));
        yield return new BenchRow("mlp_4_64_64_2_adam_b64", "us/iter", false, () => Microseconds(adam: true, threads: 0));
        yield return new BenchRow("mlp_4_64_64_2_adam_b64_1t", "us/iter", false, () => Microseconds(adam: true, threads: 1));
    }

    /// <summary>µs per step; <paramref name="threads"/> 0 keeps the default thread counts, 1 forces single-threaded kernels.</summary>
    private static double Microseconds(bool adam, int threads)
    {
        var g = new Generator(0);
        var net = Mlp.Create([4, 64, 64, 2], "tanh", generator: g);
        var opt = new Adam(net, lr: 1e-3);
        var x = Tensor.Randn([64, 4], g);
        var y = Tensor.Randn([64, 2], g);
        int savedParallel = Parallelism.MaxThreads, savedGemm = Gemm.MaxThreads;
        if (threads > 0) { Parallelism.MaxThreads = threads; Gemm.MaxThreads = threads; }
        try
        {
            return Timing.SecondsPerCall(() =>
            {
                opt.ZeroGrad();
                Functional.MseLoss(net.Forward(x), y).Backward();
                if (adam) opt.Step();
            }) * 1e6;
        }
        finally
        {
            Parallelism.MaxThreads = savedParallel;
            Gemm.MaxThreads = savedGemm;
        }
    }
}
