using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.Benchmarks;

/// <summary>Square float32 matmul throughput rows (GFLOP/s), on 1 and 2 threads.</summary>
public static unsafe class MatMulRows
{
    /// <summary>The rows: matmul_f32_N (2 threads) and matmul_f32_N_1t (1 thread) for N in 256..2048.</summary>
    public static IEnumerable<BenchRow> All()
    {
        foreach (int n in new[] { 256, 512, 1024, 2048 })
        {
            yield return new BenchRow($"matmul_f32_{n}", "GFLOP/s", true, () => GFlops(n, 2));
            yield return new BenchRow($"matmul_f32_{n}_1t", "GFLOP/s", true, () => GFlops(n, 1));
        }
    }

    /// <summary>GFLOP/s (2n^3 flops per product) of C = A*B for random n x n float32 matrices on <paramref name="threads"/> threads.</summary>
    public static double GFlops(int n, int threads)
    {
        var rng = new Random(1);
        var a = new float[n * n];
        var b = new float[n * n];
        var c = new float[n * n];
        for (int i = 0; i < a.Length; i++) { a[i] = (float)rng.NextDouble() - 0.5f; b[i] = (float)rng.NextDouble() - 0.5f; }
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try
        {
            double seconds = Timing.SecondsPerCall(() =>
            {
                fixed (float* pa = a, pb = b, pc = c)
                    Gemm.Sgemm(n, n, n, 1f, pa, n, 1, pb, n, 1, 0f, pc, n);
            });
            return 2.0 * n * n * n / seconds / 1e9;
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
