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
// Not joined with the PyTorch peer: the per-phase time and allocation of DQN's CartPole gradient step (rl-zoo's 256-256
// ReLU Q-network, batch 64), the micro benchmark behind agent training speed.
if (only == "qstep") QStepPhases(warmup: 300, iters: 3000);
if (only == "pistep") PiStepPhases(warmup: 300, iters: 3000);

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

// One DQN gradient step split into phases: target forward (no grad), online forward + Huber loss, zero + backward,
// gradient clipping, Adam step. Prints microseconds and managed bytes allocated per step for each phase.
static void QStepPhases(int warmup, int iters)
{
    RlPlat.Engine.Kernels.Gemm.MaxThreads = 1; // as the agent benchmarks and their PyTorch peers: one thread
    var g = new Generator(0);
    var q = Mlp.Create([4, 256, 256, 2], "relu", generator: g);
    var target = Mlp.Create([4, 256, 256, 2], "relu", generator: g);
    var opt = new Adam(q, lr: 1e-3);
    var obs = Tensor.Randn([64, 4], g);
    var nextObs = Tensor.Randn([64, 4], g);
    var actions = Tensor.FromArray(new long[64], 64, 1);
    var rewards = Tensor.Ones(64);
    string[] names = ["target fwd", "online fwd+loss", "zero+backward", "clip", "adam"];
    var ticks = new long[names.Length];
    var bytes = new long[names.Length];
    for (int i = 0; i < warmup + iters; i++)
    {
        bool timed = i >= warmup;
        int phase = 0;
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp(), b0 = GC.GetAllocatedBytesForCurrentThread();
        void Mark()
        {
            long t1 = System.Diagnostics.Stopwatch.GetTimestamp(), b1 = GC.GetAllocatedBytesForCurrentThread();
            if (timed) { ticks[phase] += t1 - t0; bytes[phase] += b1 - b0; }
            phase++;
            t0 = t1; b0 = b1;
        }
        Tensor y;
        using (Autograd.NoGrad()) y = rewards.Add(target.Forward(nextObs).Amax([-1]).Mul(0.99));
        Mark();
        var loss = Functional.HuberLoss(q.Forward(obs).Gather(1, actions).Squeeze(-1), y);
        Mark();
        opt.ZeroGrad(setToNone: false);
        loss.Backward();
        Mark();
        RlPlat.Engine.Optim.GradClipping.ClipGradNorm(q, 10);
        Mark();
        opt.Step();
        Mark();
    }
    double total = 0;
    for (int p = 0; p < names.Length; p++)
    {
        double us = ticks[p] * 1e6 / System.Diagnostics.Stopwatch.Frequency / iters;
        total += us;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{names[p],-16} {us,9:F1} us  {bytes[p] / iters,9} B"));
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"total",-16} {total,9:F1} us  {bytes.Sum() / iters,9} B  gen0 GCs {GC.CollectionCount(0)}"));
    // The three products of the 256x256 layer at batch 64 on their own: the compute floor of the step.
    var x = Tensor.Randn([64, 256], g);
    var w = Tensor.Randn([256, 256], g);
    var dy = Tensor.Randn([64, 256], g);
    var c = new float[256 * 256];
    GemmTime("x·Wᵀ [64x256x256]", x, 256, 1, w, 1, 256, 64, 256, 256, c);
    GemmTime("dy·W [64x256x256]", dy, 256, 1, w, 256, 1, 64, 256, 256, c);
    GemmTime("dyᵀ·x [256x256x64]", dy, 1, 256, x, 256, 1, 256, 256, 64, c);
    // PPO's CartPole shapes: batch 256 through 4-64-64 trunks.
    var xp = Tensor.Randn([256, 64], g);
    var wp = Tensor.Randn([64, 64], g);
    var x4 = Tensor.Randn([256, 4], g);
    var w4 = Tensor.Randn([64, 4], g);
    GemmTime("x·Wᵀ [256x64x64]", xp, 64, 1, wp, 1, 64, 256, 64, 64, c);
    GemmTime("x·Wᵀ [256x64x4]", x4, 4, 1, w4, 1, 4, 256, 64, 4, c);
    GemmTime("dy·W [256x64x64]", xp, 64, 1, wp, 64, 1, 256, 64, 64, c);
    GemmTime("dyᵀ·x [64x64x256]", xp, 1, 64, xp, 64, 1, 64, 64, 256, c);
    GemmTime("dyᵀ·x [64x4x256]", xp, 1, 64, x4, 4, 1, 64, 4, 256, c);
}

static unsafe void GemmTime(string name, Tensor a, long aRow, long aCol, Tensor b, long bRow, long bCol, int m, int n, int k, float[] c)
{
    fixed (float* pa = a.AsSpan(), pb = b.AsSpan(), pc = c)
    {
        for (int i = 0; i < 200; i++) RlPlat.Engine.Kernels.Gemm.Sgemm(m, n, k, 1, pa, aRow, aCol, pb, bRow, bCol, 0, pc, n);
        const int iters = 3000;
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < iters; i++) RlPlat.Engine.Kernels.Gemm.Sgemm(m, n, k, 1, pa, aRow, aCol, pb, bRow, bCol, 0, pc, n);
        double us = (System.Diagnostics.Stopwatch.GetTimestamp() - t0) * 1e6 / System.Diagnostics.Stopwatch.Frequency / iters;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-22} {us,9:F1} us  {2.0 * m * n * k / us / 1e3,6:F1} GFLOP/s"));
    }
}

// PPO's CartPole network shape (rl-zoo: separate 64-64 tanh actor and critic trunks, batch 256): forward of both,
// a stand-in loss, backward, Adam. Microseconds and bytes per step.
static void PiStepPhases(int warmup, int iters)
{
    RlPlat.Engine.Kernels.Gemm.MaxThreads = 1;
    var g = new Generator(0);
    var actor = Mlp.Create([4, 64, 64, 2], "tanh", generator: g);
    var critic = Mlp.Create([4, 64, 64, 1], "tanh", generator: g);
    var opt = new Adam([.. actor.Parameters(), .. critic.Parameters()], lr: 1e-3);
    var obs = Tensor.Randn([256, 4], g);
    long fwd = 0, bwd = 0, step = 0, bytes = 0;
    var cpu = TimeSpan.Zero;
    for (int i = 0; i < warmup + iters; i++)
    {
        if (i == warmup) cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        long b0 = GC.GetAllocatedBytesForCurrentThread(), t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var loss = actor.Forward(obs).Square().Mean().Add(critic.Forward(obs).Square().Mean());
        long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        opt.ZeroGrad(setToNone: false);
        loss.Backward();
        long t2 = System.Diagnostics.Stopwatch.GetTimestamp();
        opt.Step();
        long t3 = System.Diagnostics.Stopwatch.GetTimestamp();
        if (i < warmup) continue;
        fwd += t1 - t0; bwd += t2 - t1; step += t3 - t2; bytes += GC.GetAllocatedBytesForCurrentThread() - b0;
    }
    double F(long t) => t * 1e6 / System.Diagnostics.Stopwatch.Frequency / iters;
    double cpuUs = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / iters;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pi/vf 4-64-64 tanh b256: forward {F(fwd):F1} us, backward {F(bwd):F1} us, adam {F(step):F1} us (wall); {cpuUs:F1} us cpu per step; {bytes / iters} B/step"));
}
