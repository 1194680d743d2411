using System.Diagnostics;
using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Benchmarks.Gpu;

/// <summary>Throughput on a device: matmul GFLOP/s (tiled kernel vs cuBLAS), elementwise GB/s, MLP training steps (CPU vs device).</summary>
internal static class Bench
{
    /// <summary>Median seconds per call of <paramref name="body"/> over <paramref name="reps"/> timed calls after warm-up; the device is synchronized around each.</summary>
    private static double Time(Device device, int warmup, int reps, Action body)
    {
        for (int i = 0; i < warmup; i++) body();
        Sync(device);
        var times = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            body();
            Sync(device);
            times[r] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[reps / 2];
    }

    private static void Sync(Device device)
    {
        if (!device.IsCpu) RlPlat.Engine.Gpu.Synchronize(device);
    }

    /// <summary>Runs one section; an exception is printed and the next section still runs.</summary>
    private static void Section(TextWriter o, string name, Action body)
    {
        Console.Error.WriteLine($"[bench] {name}...");
        try { body(); }
        catch (Exception e) { o.WriteLine($"{name}: FAILED {e.GetType().Name}: {e.Message}"); }
        o.Flush();
    }

    /// <summary>Runs the benchmarks at full size (or at toy sizes with <paramref name="quick"/>, for a dry run on the CPU accelerator).</summary>
    internal static void Run(Device device, bool quick, TextWriter o)
    {
        Section(o, "matmul", () => MatMuls(device, quick, o));
        Section(o, "elementwise", () => Elementwise(device, quick, o));
        Section(o, "mlp", () => Mlps(device, quick, o));
        var stats = RlPlat.Engine.Gpu.MemoryStats(device);
        o.WriteLine();
        o.WriteLine($"# allocator: {stats.BytesInUse >> 20} MiB in use, {stats.BytesCached >> 20} MiB cached, peak {stats.PeakBytesInUse >> 20} MiB, {stats.Allocations} device allocations, {stats.Reuses} reuses; {RlPlat.Engine.Gpu.CompiledKernels(device)} kernels compiled");
    }

    private static void MatMuls(Device device, bool quick, TextWriter o)
    {
        o.WriteLine($"# device: {RlPlat.Engine.Gpu.Describe(device)}");
        bool blas = RlPlat.Engine.Gpu.CuBlasAvailable(device, out var why);
        o.WriteLine($"# cuBLAS: {(blas ? "loaded" : "not available (" + why + ")")}");

        o.WriteLine();
        o.WriteLine($"{"matmul n x n x n",-24}{"tiled GFLOP/s",16}{"cuBLAS GFLOP/s",16}{"cuBLAS/tiled",14}");
        foreach (int n in quick ? new[] { 64, 128 } : new[] { 1024, 4096 })
        {
            var g = new Generator(1);
            var a = Tensor.Randn([n, n], g).To(device);
            var b = Tensor.Randn([n, n], g).To(device);
            double flops = 2.0 * n * n * n;
            int reps = quick ? 2 : n >= 4096 ? 5 : 20;
            double tiled = MatMulTime(device, a, b, false, reps);
            double cub = blas ? MatMulTime(device, a, b, true, reps) : double.NaN;
            o.WriteLine($"{n,-24}{flops / tiled / 1e9,16:F1}{(blas ? (flops / cub / 1e9).ToString("F1") : "-"),16}{(blas ? (tiled / cub).ToString("F2") + "x" : "-"),14}");
            RlPlat.Engine.Gpu.Release(a);
            RlPlat.Engine.Gpu.Release(b);
        }
    }

    private static void Elementwise(Device device, bool quick, TextWriter o)
    {
        o.WriteLine();
        int elems = quick ? 1 << 16 : 64 << 20;
        {
            var x = Tensor.Zeros(elems).To(device);
            var y = Tensor.Ones(elems).To(device);
            double t = Time(device, 3, quick ? 3 : 20, () => RlPlat.Engine.Gpu.Release(x.Add(y)));
            double gbs = 3.0 * 4 * elems / t / 1e9;
            var peak = RlPlat.Engine.Gpu.PeakMemoryBandwidthGBs(device);
            o.WriteLine($"elementwise add, {elems:N0} float32 (read 2 + write 1): {t * 1e3:F3} ms, {gbs:F1} GB/s" +
                        (peak is { } p ? $" = {gbs / p * 100:F0}% of the card's {p:F0} GB/s theoretical peak" : ""));
            RlPlat.Engine.Gpu.Release(x);
            RlPlat.Engine.Gpu.Release(y);
        }
    }

    private static void Mlps(Device device, bool quick, TextWriter o)
    {
        o.WriteLine();
        o.WriteLine($"{"MLP 4-256-256-2 Adam step",-28}{"cpu ms",12}{"device ms",12}{"cpu/device",12}");
        foreach (int batch in quick ? new[] { 8, 32 } : new[] { 64, 4096 })
        {
            double cpu = StepTime(Device.Cpu, batch, quick);
            double dev = StepTime(device, batch, quick);
            o.WriteLine($"{"batch " + batch,-28}{cpu * 1e3,12:F3}{dev * 1e3,12:F3}{cpu / dev,11:F2}x");
        }
    }

    private static double MatMulTime(Device device, Tensor a, Tensor b, bool cublas, int reps)
    {
        bool saved = RlPlat.Engine.Gpu.UseCuBlas;
        RlPlat.Engine.Gpu.UseCuBlas = cublas;
        try { return Time(device, 2, reps, () => RlPlat.Engine.Gpu.Release(a.MatMul(b))); }
        finally { RlPlat.Engine.Gpu.UseCuBlas = saved; }
    }

    /// <summary>Seconds per training step (forward, MSE loss, backward, Adam) of the 4-256-256-2 ReLU MLP.</summary>
    private static double StepTime(Device device, int batch, bool quick)
    {
        var g = new Generator(2);
        var net = Mlp.Create([4, 256, 256, 2], "relu", generator: g);
        net.To(device);
        var opt = new Adam(net, lr: 1e-3);
        var x = Tensor.Randn([batch, 4], g).To(device);
        var y = Tensor.Randn([batch, 2], g).To(device);
        void Step()
        {
            using var scope = RlPlat.Engine.Gpu.Scope();
            opt.ZeroGrad();
            Functional.MseLoss(net.Forward(x), y).Backward();
            opt.Step();
            opt.ZeroGrad();
        }
        return Time(device, quick ? 1 : 5, quick ? 2 : 30, Step);
    }
}
