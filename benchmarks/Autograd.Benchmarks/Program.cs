using System.Diagnostics;
using System.Globalization;
using RlPlat.Engine;

// Autograd overhead benchmark. Each row prints "name<TAB>microseconds per iteration" (10th percentile of single iterations).
//   mlp_fwd_bwd     forward + backward of a 4-64-64-2 tanh MLP built from raw tensors, batch 64, grads reset each step
//   mlp_fwd_nograd  the same forward inside Autograd.NoGrad()
//   chain_fwd_bwd   30 elementwise ops on a 4-element tensor and backward: almost pure bookkeeping
// Usage: RlPlat.Autograd.Benchmarks [--list] [row,row,...]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var rows = new (string Name, Func<Action> Setup)[]
{
    ("mlp_fwd_bwd", () => MlpStep(backward: true)),
    ("mlp_fwd_nograd", () => MlpStep(backward: false)),
    ("chain_fwd_bwd", ChainStep),
};
if (args.Length > 0 && args[0] == "--list")
{
    foreach (var r in rows) Console.WriteLine(r.Name);
    return;
}
var wanted = args.Length > 0 ? new HashSet<string>(args[0].Split(',')) : null;
foreach (var (name, setup) in rows)
{
    if (wanted != null && !wanted.Contains(name)) continue;
    Console.WriteLine($"{name}\t{Time(setup()):F2}");
}

// Each iteration is timed on its own for ~2 s after a 5 s warm-up (tiered JIT takes that long to settle on a loaded
// machine), and the 10th percentile is reported: the machines these run on are shared, and a low percentile of single
// iterations is the time of an iteration that had a core to itself. The peer script measures the same way.
static double Time(Action step)
{
    var sw = Stopwatch.StartNew();
    while (sw.ElapsedMilliseconds < 5000) step();
    var samples = new List<double>(1 << 16);
    sw.Restart();
    while (sw.ElapsedMilliseconds < 2000 && samples.Count < 200_000)
    {
        long t0 = Stopwatch.GetTimestamp();
        step();
        samples.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
    }
    samples.Sort();
    return samples[samples.Count / 10];
}

static Action MlpStep(bool backward)
{
    var g = new Generator(0);
    Tensor P(params int[] shape) => Tensor.Randn(shape, g).Mul(0.3).RequiresGrad_();
    var w1 = P(4, 64); var b1 = P(64); var w2 = P(64, 64); var b2 = P(64); var w3 = P(64, 2); var b3 = P(2);
    var parameters = new[] { w1, b1, w2, b2, w3, b3 };
    var x = Tensor.Randn([64, 4], g);
    Tensor Forward() => x.MatMul(w1).Add(b1).Tanh().MatMul(w2).Add(b2).Tanh().MatMul(w3).Add(b3).Square().Mean();
    if (!backward)
        return () => { using (Autograd.NoGrad()) Forward(); };
    return () =>
    {
        foreach (var p in parameters) p.Grad = null;
        Forward().Backward();
    };
}

static Action ChainStep()
{
    var x = Tensor.FromArray(new float[] { 0.1f, -0.2f, 0.3f, 0.4f }).RequiresGrad_();
    return () =>
    {
        x.Grad = null;
        var y = x;
        for (int i = 0; i < 10; i++) y = y.Mul(0.9).Add(0.1).Tanh();
        y.Sum().Backward();
    };
}
