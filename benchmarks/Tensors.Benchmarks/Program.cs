using System.Diagnostics;
using System.Globalization;
using RlPlat.Engine;

// Per-op cost of the tensor library: ns per call (allocation included) and bytes allocated per call, for the ops an RL
// step runs on tiny tensors, and throughput on large ones. Prints one "name size ns bytes" line per case, the format
// benchmarks/peers/tensors_torch.py prints too, so benchmarks/tensors.sh can put them side by side.
var quick = args.Contains("--quick");
int onlyAt = Array.IndexOf(args, "--only");
var only = onlyAt >= 0 && onlyAt + 1 < args.Length ? args[onlyAt + 1] : null; // e.g. --only add: just that op
var cases = new List<(string Name, int Size, Func<Action> Make)>();
foreach (var n in new[] { 1, 64, 1 << 20, 1 << 24 })
{
    cases.Add(("add_inplace", n, () => { var a = Tensor.Rand(n); var b = Tensor.Rand(n); return () => a.AddInPlace(b); }));
    cases.Add(("add", n, () => { var a = Tensor.Rand(n); var b = Tensor.Rand(n); return () => _ = a + b; }));
    cases.Add(("mul_scalar", n, () => { var a = Tensor.Rand(n); return () => _ = a * 2; }));
    cases.Add(("exp", n, () => { var a = Tensor.Rand(n); return () => _ = a.Exp(); }));
    cases.Add(("sum", n, () => { var a = Tensor.Rand(n); return () => _ = a.Sum(); }));
    cases.Add(("add_strided", n, () => { var a = Tensor.Rand(2 * n).Slice(0, 0, null, 2); var b = Tensor.Rand(n); return () => _ = a + b; }));
}
foreach (var m in new[] { 8, 64, 256 })
    cases.Add(("matmul", m, () => { var a = Tensor.Rand(m, m); var b = Tensor.Rand(m, m); return () => _ = a.MatMul(b); }));
cases.Add(("sum_dim0", 1024, () => { var a = Tensor.Rand(1024, 1024); return () => _ = a.Sum(0); }));
cases.Add(("softmax_rows", 1024, () => { var a = Tensor.Rand(1024, 1024); return () => _ = a.Softmax(-1); }));

Console.WriteLine("# rlplat tensors: op size ns_per_call bytes_per_call");
foreach (var (name, size, make) in cases)
{
    if (only != null && name != only) continue;
    var op = make();
    long elems = name == "matmul" ? (long)size * size * size : size;
    // Aim for ~0.3 s per case (less with --quick); at least 3 calls.
    double budgetNs = quick ? 5e7 : 3e8;
    long iters = Math.Max(3, (long)(budgetNs / Math.Max(1.0, elems * 0.5)));
    iters = Math.Min(iters, quick ? 200_000 : 2_000_000);
    for (int i = 0; i < Math.Min(iters, 1000); i++) op();
    double best = double.MaxValue;
    long bytes = 0;
    for (int rep = 0; rep < 3; rep++)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        int gc0 = GC.CollectionCount(0), gc2 = GC.CollectionCount(2);
        var pause = GC.GetTotalPauseDuration();
        var sw = Stopwatch.StartNew();
        for (long i = 0; i < iters; i++) op();
        sw.Stop();
        bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / iters;
        best = Math.Min(best, sw.Elapsed.TotalNanoseconds / iters);
        // BENCH_GC=1 prints GC counts per case: on this machine a 4 MB result (1M floats) costs a full GC per op.
        if (Environment.GetEnvironmentVariable("BENCH_GC") == "1")
            Console.Error.WriteLine($"{name} {size}: {iters} iters, gen0 {GC.CollectionCount(0) - gc0}, gen2 {GC.CollectionCount(2) - gc2}, pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds} ms, wall {sw.Elapsed.TotalMilliseconds} ms");
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {size} {best:F1} {bytes}"));
}
