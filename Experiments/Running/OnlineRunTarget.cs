using System.Globalization;
using System.Reactive.Concurrency;
using RlPlat.Agents;
using RlPlat.Agents.Online;
using RlPlat.Connectors.Plugins;
using RlPlat.Experiments.Config;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Trains <c>online-ac</c> / <c>online-dqn</c> on a live stream: the experiment's connector (sensor-stream) is opened as
/// a stream at its rate, an <see cref="OnlineSession"/> acts within the deadline and learns on its own thread (real
/// time) or on a virtual clock, and every <c>log_every_steps</c> stream steps one row of metrics is logged (episode
/// return, laps per minute, counters, latency percentiles); growth, env changes and learner restarts are events.
/// <c>total_steps</c> is stream steps: the run lasts total_steps / rate_hz seconds of stream time. Ctrl+C stops the
/// stream, flushes the metrics and saves a checkpoint. Online options live next to the connector's:
/// <c>clock</c> (realtime | virtual), <c>deadline_ms</c>, <c>fallback_action</c> and <c>changes</c>.
/// </summary>
public sealed class OnlineRunTarget(ResolvedExperiment experiment) : IRunTarget
{
    private const string LearnerBlob = "learner";

    /// <summary>The connector options this run target reads itself (the rest go to the connector).</summary>
    public static readonly IReadOnlyList<string> OnlineOptionKeys = ["clock", "deadline_ms", "fallback_action", "changes"];

    /// <summary>Registers the online algorithms as run targets.</summary>
    public static void RegisterAll()
    {
        RunTargets.Register("online-ac", e => new OnlineRunTarget(e));
        RunTargets.Register("online-dqn", e => new OnlineRunTarget(e));
    }

    /// <inheritdoc />
    public RunOutcome Run(RunContext ctx)
    {
        var e = experiment;
        var settings = ctx.Connector ?? e.Connector
            ?? throw new InvalidOperationException($"{e.Name}: {e.AgentName} learns from a stream; give a connector (sensor-stream), not an env.");
        var connectorOptions = new Dictionary<string, object?>(settings.Options);
        foreach (var key in OnlineOptionKeys) connectorOptions.Remove(key);
        if (!connectorOptions.ContainsKey("seed")) connectorOptions["seed"] = (long)ctx.Seed;
        using var connector = ConnectorRegistry.Create(settings.Type, connectorOptions);
        double rateHz = connector is SensorStreamConnector sensor ? sensor.Options.RateHz
            : throw new InvalidOperationException($"{e.Name}: online runs need the sensor-stream connector (a simulated live source), got '{settings.Type}'.");
        bool virtualTime = Text(settings.Options, "clock", "realtime") switch
        {
            "realtime" => false,
            "virtual" => true,
            var other => throw new ArgumentException($"{e.Name}: connector.options.clock must be realtime or virtual, got '{other}'."),
        };
        var period = TimeSpan.FromSeconds(1 / rateHz);
        var sessionOptions = new OnlineSessionOptions
        {
            Deadline = settings.Options.TryGetValue("deadline_ms", out var d) && d is not null ? TimeSpan.FromMilliseconds(Number(d, "deadline_ms")) : period,
            FallbackAction = settings.Options.TryGetValue("fallback_action", out var f) && f is not null ? Floats(f) : null,
            Changes = EnvChangeSchedule.Parse(Text(settings.Options, "changes", "")),
            Learner = virtualTime ? LearnerMode.Scheduler : LearnerMode.Thread,
            LearnerPeriod = period,
            WindowLength = TimeSpan.FromSeconds(e.Training.LogEverySteps / rateHz),
            ActorSeed = ctx.Seed,
        };
        // Real time gets a stream thread of its own: thread-pool timers delivered about 200 of 1000 ticks a second here.
        using var streamThread = virtualTime ? null : new EventLoopScheduler(start => new Thread(start) { IsBackground = true, Name = "online stream" });
        IScheduler clock = streamThread ?? (IScheduler)new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        using var run = OnlineRun.Open(connector, clock, spaces => CreateLearner(e, spaces, ctx.Seed), sessionOptions);

        long resumedSteps = 0;
        if (ctx.Resume && ctx.Checkpoints.Latest() is { } checkpoint && checkpoint.Blobs.TryGetValue(LearnerBlob, out var saved))
        {
            run.Learner.SetState(AgentState.FromBytes(saved));
            resumedSteps = checkpoint.Step;
        }
        long Step() => resumedSteps + run.Session.Steps;
        var recent = new Queue<double>();
        run.Learner.Event += (kind, data) => ctx.Metrics.Event(Step(), kind, data);
        run.Session.EnvChanged += change => ctx.Metrics.Event(Step(), MetricKeysOnline.EnvChange, new Dictionary<string, object?>
        {
            ["change"] = change.Kind, ["value"] = change.Value, ["stream_time_s"] = change.At.TotalSeconds,
        });
        run.Session.WindowClosed += w =>
        {
            ctx.Metrics.Log(Step(), Row(w));
            if (!double.IsNaN(w.MeanEpisodeReturn)) { recent.Enqueue(w.MeanEpisodeReturn); if (recent.Count > 10) recent.Dequeue(); }
            ctx.Progress.Report(new RunProgress(Step(), recent.Count > 0 ? recent.Average() : null));
            // The stream's thread: checkpoint the state published with the latest snapshot, not the learner's live one.
            if (e.Checkpoints.EverySteps > 0 && Crossed(w.Steps, e.Training.LogEverySteps, e.Checkpoints.EverySteps))
                ctx.Checkpoints.Save(Step(), new Dictionary<string, byte[]> { [LearnerBlob] = run.Learner.PublishedState });
        };
        ctx.Metrics.Event(Step(), "online_start", new Dictionary<string, object?>
        {
            ["rate_hz"] = rateHz, ["clock"] = virtualTime ? "virtual" : "realtime", ["deadline_ms"] = sessionOptions.Deadline.TotalMilliseconds,
            ["shape"] = run.Learner.PolicyNetwork.Describe(), ["changes"] = string.Join("; ", sessionOptions.Changes.Planned),
        });

        long remaining = Math.Max(0, e.Training.TotalSteps - resumedSteps);
        run.Start();
        run.RunFor(TimeSpan.FromSeconds(remaining / rateHz), ctx.Cancel);
        var final = run.Stop();
        ctx.Metrics.Event(Step(), "online_end", Payload(final));
        // The learner is stopped: its live state is the latest.
        ctx.Checkpoints.Save(Step(), new Dictionary<string, byte[]> { [LearnerBlob] = run.Learner.GetState().ToBytes() });
        return new RunOutcome(Step());
    }

    // True when the window that ended at `steps` crossed a multiple of `every`.
    private static bool Crossed(long steps, long window, long every) => steps / every > Math.Max(0, steps - window) / every;

    private static Dictionary<string, double> Row(OnlineWindow w)
    {
        var c = w.Counters;
        return new Dictionary<string, double>
        {
            [MetricKeys.EpisodeReturn] = w.MeanEpisodeReturn,
            ["laps_per_minute"] = w.LapsPerMinute,
            ["reward_sum"] = w.RewardSum,
            ["stream_time_s"] = w.StreamTime.TotalSeconds,
            ["episodes"] = w.Episodes,
            ["observations"] = c.Observations,
            ["dropped"] = c.Dropped,
            ["actions"] = c.Actions,
            ["late"] = c.Late,
            ["deadlines_met"] = c.DeadlinesMet,
            ["updates"] = c.Updates,
            ["learner_failures"] = c.LearnerFailures,
            ["growths"] = c.Growths,
            ["latency_p50_ms"] = c.LatencyP50.TotalMilliseconds,
            ["latency_p95_ms"] = c.LatencyP95.TotalMilliseconds,
            ["latency_p99_ms"] = c.LatencyP99.TotalMilliseconds,
        };
    }

    private static Dictionary<string, object?> Payload(OnlineCountersSnapshot c) => new()
    {
        ["observations"] = c.Observations, ["dropped"] = c.Dropped, ["actions"] = c.Actions, ["late"] = c.Late,
        ["deadlines_met"] = c.DeadlinesMet, ["updates"] = c.Updates, ["learner_failures"] = c.LearnerFailures,
        ["growths"] = c.Growths, ["env_changes"] = c.EnvChanges, ["latency_p50_ms"] = c.LatencyP50.TotalMilliseconds,
        ["latency_p95_ms"] = c.LatencyP95.TotalMilliseconds, ["latency_p99_ms"] = c.LatencyP99.TotalMilliseconds,
    };

    /// <summary>The learner the experiment asks for, with the YAML's hyperparameters, network and growth.</summary>
    internal static OnlineLearner CreateLearner(ResolvedExperiment e, AgentSpaces spaces, int seed)
    {
        var hp = e.Agent.Hyperparameters;
        var net = e.Network;
        GrowthOptions? growth = net.Growth is { } g ? new GrowthOptions
        {
            Trigger = g.Trigger == "plateau" ? GrowthTrigger.Plateau : GrowthTrigger.Steps,
            EverySteps = g.EverySteps, Patience = g.Patience, AddUnits = g.AddUnits, AddLayers = g.AddLayers,
            MaxUnits = g.MaxUnits, MaxLayers = g.MaxLayers,
        } : null;
        int[] hidden = [.. net.Layers];
        switch (e.Agent.Algorithm)
        {
            case "online-ac":
                return new OnlineActorCritic(spaces, new OnlineAcOptions
                {
                    Hidden = hidden, Activation = net.Activation, Growth = growth,
                    LearningRate = hp.Float("learning_rate"), Gamma = hp.Float("gamma"), EntCoef = hp.Float("ent_coef"),
                    VfCoef = hp.Float("vf_coef"), MaxGradNorm = hp.Float("max_grad_norm"), NSteps = (int)hp.Int("n_steps"),
                }, seed);
            case "online-dqn":
                long gradientSteps = hp.Int("gradient_steps");
                return new OnlineDqn(spaces, new OnlineDqnOptions
                {
                    Hidden = hidden, Activation = net.Activation, Growth = growth,
                    LearningRate = hp.Float("learning_rate"), Gamma = hp.Float("gamma"), MaxGradNorm = hp.Float("max_grad_norm"),
                    BufferSize = checked((int)hp.Int("buffer_size")), LearningStarts = checked((int)hp.Int("learning_starts")),
                    BatchSize = checked((int)hp.Int("batch_size")), Tau = hp.Float("tau"),
                    TargetUpdateInterval = checked((int)hp.Int("target_update_interval")),
                    ExplorationInitialEps = hp.Float("exploration_initial_eps"), ExplorationFinalEps = hp.Float("exploration_final_eps"),
                    ExplorationDecaySteps = hp.Int("exploration_decay_steps"),
                    // gradient_steps -1 means one gradient step per stream step, as in SB3.
                    UpdatesPerStep = (gradientSteps < 0 ? 1.0 : gradientSteps) / hp.Int("train_freq"),
                }, seed);
            default:
                throw new InvalidOperationException($"{e.Name}: OnlineRunTarget trains online-ac and online-dqn, not '{e.AgentName}'.");
        }
    }

    private static string Text(IReadOnlyDictionary<string, object?> options, string key, string fallback) =>
        options.TryGetValue(key, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture)! : fallback;

    private static double Number(object value, string key) => value switch
    {
        long l => l,
        double x => x,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) => x,
        _ => throw new ArgumentException($"connector.options.{key} must be a number, got '{value}'."),
    };

    private static float[] Floats(object value) => value switch
    {
        List<object?> list => list.ConvertAll(v => (float)Number(v!, "fallback_action")).ToArray(),
        _ => [(float)Number(value, "fallback_action")],
    };
}
