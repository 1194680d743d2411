using RlPlat.Benchmarks.Gpu;
using RlPlat.Engine;

// rlplat GPU check and benchmark.
//   check [--device cuda:0|ilgpu-cpu] [--small]   GPU-vs-CPU comparisons per kernel family; exit code 1 on any FAIL
//   bench [--device cuda:0|ilgpu-cpu] [--quick]   matmul GFLOP/s (tiled vs cuBLAS), elementwise GB/s, MLP step CPU vs device
if (args.Length == 0 || args[0] is not ("check" or "bench"))
{
    Console.Error.WriteLine("usage: RlPlat.Gpu.Benchmarks check|bench [--device cuda:0|ilgpu-cpu] [--small] [--quick]");
    return 2;
}
Device device;
int at = Array.IndexOf(args, "--device");
try
{
    device = at >= 0 && at + 1 < args.Length ? Device.Parse(args[at + 1] == "cpu-ilgpu" ? "ilgpu-cpu" : args[at + 1]) : Device.Cuda(0);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 3;
}
Console.WriteLine($"# {RlPlat.Engine.Gpu.Describe(device)}");
if (args[0] == "check")
{
    var start = DateTime.UtcNow;
    var results = Checks.Run(device, args.Contains("--small") ? [1] : [1, 8], Console.Out);
    int failed = results.Count(r => !r.Passed);
    Console.WriteLine($"# check: {results.Count - failed} passed, {failed} failed, in {(DateTime.UtcNow - start).TotalSeconds:F1} s");
    return failed == 0 ? 0 : 1;
}
Bench.Run(device, args.Contains("--quick"), Console.Out);
return 0;
