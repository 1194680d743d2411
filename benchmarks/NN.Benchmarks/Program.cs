using System.Diagnostics;
using System.Globalization;
using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

// Full training steps (forward, loss, backward, Adam step) of the two networks the nn issue names, timed after a
// warmup. Prints "name<TAB>wall ms per step<TAB>cpu ms per step" lines that benchmarks/nn.sh joins with the PyTorch
// peer's output; CPU time is the fairer figure on a shared, overloaded machine.
var only = args.Length > 0 ? args[0] : null;
if (only is null or "mlp") Report("mlp_4x64x64x2_b64", MlpStep(), 200, 2000);
if (only is null or "conv") Report("nature_dqn_84x84_b32", ConvStep(), 3, 20);

static void Report(string name, Action step, int warmup, int iters)
{
    for (int i = 0; i < warmup; i++) step();
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < iters; i++) step();
    double ms = sw.Elapsed.TotalMilliseconds / iters;
    process.Refresh();
    double cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds / iters;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{ms:F4}\t{cpuMs:F4}"));
}

static Action MlpStep()
{
    var g = new Generator(0);
    var net = Mlp.Create([4, 64, 64, 2], "tanh", generator: g);
    var opt = new Adam(net, lr: 1e-3);
    var x = Tensor.Randn([64, 4], g);
    var y = Tensor.Randn([64, 2], g);
    return () =>
    {
        opt.ZeroGrad();
        var loss = Functional.MseLoss(net.Forward(x), y);
        loss.Backward();
        opt.Step();
    };
}

static Action ConvStep()
{
    var g = new Generator(0);
    var net = NatureCnn.Create(4, 6, g);
    var opt = new Adam(net, lr: 1e-4);
    var x = Tensor.Rand([32, 4, 84, 84], g);
    var y = Tensor.Randn([32, 6], g);
    return () =>
    {
        opt.ZeroGrad();
        var loss = Functional.SmoothL1Loss(net.Forward(x), y);
        loss.Backward();
        opt.Step();
    };
}
