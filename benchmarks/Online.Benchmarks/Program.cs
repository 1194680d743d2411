using System.Diagnostics;
using System.Globalization;
using System.Reactive.Concurrency;
using RlPlat.Agents;
using RlPlat.Agents.Online;
using RlPlat.Connectors.Plugins;
using RlPlat.Engine;
using RlPlat.Engine.NN;

// Online learning benchmarks (issue 10); benchmarks/online.sh runs them and prints the tables.
//   latency RATE_HZ SECONDS      real-time CarSensorsDiscrete stream, online DQN learning on its own thread: one TSV row
//   curve ALGO GROWTH MINUTES    virtual-time learning curve, laps per minute of stream time per minute (ALGO: dqn, ac, random-dqn, random-ac)
//   act ITERS                    time of one action from a 12-64-64-5 policy snapshot, in microseconds
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string mode = args.Length > 0 ? args[0] : "";
switch (mode)
{
    case "latency": Latency(double.Parse(args[1]), double.Parse(args[2]), args.Length > 3 ? args[3] : "default"); break;
    case "curve": Curve(args[1], args[2] == "1", int.Parse(args[3])); break;
    case "act": Act(int.Parse(args[1])); break;
    default: Console.Error.WriteLine("usage: latency RATE_HZ SECONDS | curve dqn|ac|random-dqn|random-ac GROWTH(0|1) MINUTES | act ITERS"); Environment.Exit(2); break;
}

static IConnector Sensor(string envId, double rateHz) =>
    ConnectorRegistry.Create("sensor-stream", new Dictionary<string, object?> { ["env_id"] = envId, ["rate_hz"] = rateHz, ["seed"] = 0L });

static OnlineDqnOptions Dqn(GrowthOptions? growth) => new()
{
    ExplorationDecaySteps = 3000, LearningStarts = 500, BatchSize = 32, UpdatesPerStep = 0.5, TargetUpdateInterval = 250, Growth = growth,
};

static void Latency(double rateHz, double seconds, string schedulerName)
{
    var period = TimeSpan.FromSeconds(1 / rateHz);
    using var connector = Sensor("CarSensorsDiscrete-v0", rateHz);
    // "eventloop": the stream gets a thread of its own instead of thread-pool timer callbacks.
    using var loop = schedulerName == "eventloop" ? new EventLoopScheduler() : null;
    IScheduler clock = loop ?? (IScheduler)Scheduler.Default;
    using var run = OnlineRun.Open(connector, clock, s => new OnlineDqn(s, Dqn(null), 0),
        new OnlineSessionOptions { Learner = LearnerMode.Thread, Deadline = period, WindowLength = TimeSpan.FromSeconds(5) });
    // Warm up (JIT, first snapshots) for 2 s, then measure from fresh counters.
    run.Start();
    run.RunFor(TimeSpan.FromSeconds(2));
    var before = run.Session.Counters.Snapshot();
    run.Session.Counters.ActionLatency.Reset();
    var sw = Stopwatch.StartNew();
    run.RunFor(TimeSpan.FromSeconds(seconds));
    var c = run.Stop();
    double wall = sw.Elapsed.TotalSeconds;
    long obs = c.Observations - before.Observations, actions = c.Actions - before.Actions, late = c.Late - before.Late, updates = c.Updates - before.Updates;
    var h = run.Session.Counters.ActionLatency;
    Console.WriteLine(string.Join('\t', "LATENCY", $"rate_hz={rateHz}", $"observed_hz={obs / wall:F1}", $"actions={actions}", $"late={late}",
        $"deadlines_met={(actions == 0 ? 1 : 1 - (double)late / actions):F5}", $"p50_us={h.Percentile(0.5).TotalMicroseconds:F1}",
        $"p95_us={h.Percentile(0.95).TotalMicroseconds:F1}", $"p99_us={h.Percentile(0.99).TotalMicroseconds:F1}", $"max_us={h.Max.TotalMicroseconds:F1}",
        $"updates_per_s={updates / wall:F1}", $"learner_failures={c.LearnerFailures}"));
}

static void Curve(string algo, bool growth, int minutes)
{
    var g = growth ? new GrowthOptions { EverySteps = 2500, AddUnits = 16, AddLayers = 1, MaxUnits = 96, MaxLayers = 3 } : null;
    bool continuous = algo.EndsWith("ac", StringComparison.Ordinal);
    bool learn = !algo.StartsWith("random", StringComparison.Ordinal);
    var ac = new OnlineAcOptions { NSteps = 32, LearningRate = 1e-3, Activation = "tanh", MaxGradNorm = 0.5, Growth = g };
    Func<AgentSpaces, OnlineLearner> make = algo switch
    {
        "dqn" => s => new OnlineDqn(s, Dqn(g) with { Hidden = growth ? [32, 32] : [64, 64] }, 0),
        "random-dqn" => s => new OnlineDqn(s, new OnlineDqnOptions { ExplorationInitialEps = 1, ExplorationFinalEps = 1 }, 0),
        "ac" => s => new OnlineActorCritic(s, ac with { Hidden = growth ? [32, 32] : [64, 64] }, 0),
        "random-ac" => s => new OnlineActorCritic(s, ac with { LogStdInit = 0 }, 0),
        _ => throw new ArgumentException($"curve: unknown algorithm '{algo}' (dqn, ac, random-dqn, random-ac)."),
    };
    var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
    using var connector = Sensor(continuous ? "CarSensors-v0" : "CarSensorsDiscrete-v0", 50);
    using var run = OnlineRun.Open(connector, clock, make, new OnlineSessionOptions { Learner = LearnerMode.Scheduler, Learn = learn, WindowLength = TimeSpan.FromMinutes(1) });
    var perMinute = new List<string>();
    run.Session.WindowClosed += w => perMinute.Add(w.LapsPerMinute.ToString("F1"));
    var sw = Stopwatch.StartNew();
    run.Start();
    run.RunFor(TimeSpan.FromMinutes(minutes) + TimeSpan.FromMilliseconds(100));
    var c = run.Stop();
    Console.WriteLine(string.Join('\t', "CURVE", algo + (growth ? "+growth" : ""), run.Learner.Policy.Network.Shape, $"updates={c.Updates}", $"cpu_s={sw.Elapsed.TotalSeconds:F1}", string.Join(' ', perMinute)));
}

static void Act(int iters)
{
    var net = new GrowableMlp([12, 64, 64, 5], "relu", new Generator(0));
    var snapshot = PolicySnapshot.Capture(net, 0);
    var x = new float[12];
    var y = new float[5];
    for (int i = 0; i < 12; i++) x[i] = 0.1f * i;
    for (int i = 0; i < 10_000; i++) snapshot.Forward(x, y);
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < iters; i++) snapshot.Forward(x, y);
    double snapUs = sw.Elapsed.TotalMicroseconds / iters;
    // The engine's own forward (tensors, no-grad) for the same input: what acting would cost without snapshots.
    var input = Tensor.FromArray(x, 1, 12);
    for (int i = 0; i < 2_000; i++) using (Autograd.NoGrad()) net.Forward(input);
    sw.Restart();
    int engineIters = Math.Max(1, iters / 10);
    for (int i = 0; i < engineIters; i++) using (Autograd.NoGrad()) net.Forward(input);
    double engineUs = sw.Elapsed.TotalMicroseconds / engineIters;
    Console.WriteLine($"ACT\tsnapshot_us={snapUs:F3}\tengine_us={engineUs:F3}");
}
