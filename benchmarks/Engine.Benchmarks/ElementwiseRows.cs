namespace RlPlat.Engine.Benchmarks;

/// <summary>
/// Elementwise throughput (GB/s: bytes read plus bytes written per call) and the fixed per-op cost on tiny tensors (ns/op).
/// Every op is the one a user writes (<c>a + b</c> allocates its result, as in PyTorch), so allocation is part of the figure.
/// </summary>
public static class ElementwiseRows
{
    private static readonly (string Label, int N)[] Sizes = [("1K", 1 << 10), ("1M", 1 << 20), ("16M", 1 << 24)];

    /// <summary>
    /// add / add_dispose (the result disposed after use, as PyTorch's reference count frees it) / add_inplace / add_out (into a
    /// reused tensor) / exp at 1K, 1M, 16M elements, then the small-op overhead rows.
    /// </summary>
    public static IEnumerable<BenchRow> All()
    {
        foreach (var (label, n) in Sizes)
        {
            yield return new BenchRow($"add_f32_{label}", "GB/s", true, () => Throughput(12L * n, Pair(n, (a, b) => _ = a + b)));
            yield return new BenchRow($"add_dispose_f32_{label}", "GB/s", true, () => Throughput(12L * n, Pair(n, (a, b) =>
            {
                using var c = a + b;
            })));
            yield return new BenchRow($"add_inplace_f32_{label}", "GB/s", true, () => Throughput(12L * n, Pair(n, (a, b) => a.AddInPlace(b))));
            yield return new BenchRow($"add_out_f32_{label}", "GB/s", true, () => Throughput(12L * n, PairInto(n, (a, b, c) => a.Add(b, c))));
            yield return new BenchRow($"exp_f32_{label}", "GB/s", true, () => Throughput(8L * n, Pair(n, (a, _) => _ = a.Exp())));
        }

        foreach (int n in new[] { 1, 64 })
        {
            yield return new BenchRow($"add_overhead_{n}", "ns/op", false, () => Nanoseconds(Pair(n, (a, b) => _ = a + b)));
            yield return new BenchRow($"exp_overhead_{n}", "ns/op", false, () => Nanoseconds(Pair(n, (a, _) => _ = a.Exp())));
            yield return new BenchRow($"mul_scalar_overhead_{n}", "ns/op", false, () => Nanoseconds(Pair(n, (a, _) => _ = a * 2)));
            yield return new BenchRow($"sum_overhead_{n}", "ns/op", false, () => Nanoseconds(Pair(n, (a, _) => _ = a.Sum())));
        }
    }

    /// <summary>An action running <paramref name="op"/> on two seeded random float32 tensors of n elements.</summary>
    private static Action Pair(int n, Action<Tensor, Tensor> op)
    {
        var g = new Generator(1);
        var a = Tensor.Rand([n], g);
        var b = Tensor.Rand([n], g);
        return () => op(a, b);
    }

    /// <summary>As <see cref="Pair"/>, with a third tensor of n elements for the result (PyTorch's <c>out=</c>).</summary>
    private static Action PairInto(int n, Action<Tensor, Tensor, Tensor> op)
    {
        var g = new Generator(1);
        var a = Tensor.Rand([n], g);
        var b = Tensor.Rand([n], g);
        var c = Tensor.Zeros(n);
        return () => op(a, b, c);
    }

    private static double Throughput(long bytesPerCall, Action op) => bytesPerCall / Timing.SecondsPerCall(op) / 1e9;

    private static double Nanoseconds(Action op) => Timing.SecondsPerCall(op) * 1e9;
}
