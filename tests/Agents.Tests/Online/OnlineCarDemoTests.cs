using System.Reactive.Concurrency;
using RlPlat.Agents.Online;
using RlPlat.Connectors.Plugins;

namespace RlPlat.Agents.Tests.Online;

public class OnlineCarDemoTests
{
    internal static (double LapsPerMinute, OnlineCountersSnapshot Counters, List<OnlineWindow> Windows, string Shape) Drive(
        Func<AgentSpaces, OnlineLearner> make, TimeSpan duration, bool learn, string envId = "CarSensorsDiscrete-v0", int seed = 0, EnvChangeSchedule? changes = null)
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        using var connector = ConnectorRegistry.Create("sensor-stream", new Dictionary<string, object?> { ["env_id"] = envId, ["rate_hz"] = 50.0, ["seed"] = (long)seed });
        using var run = OnlineRun.Open(connector, clock, make, new OnlineSessionOptions { Learner = LearnerMode.Scheduler, Learn = learn, ActorSeed = seed, Changes = changes, WindowLength = TimeSpan.FromSeconds(30) });
        var windows = new List<OnlineWindow>();
        run.Session.WindowClosed += windows.Add;
        run.Start();
        run.RunFor(duration);
        var counters = run.Stop();
        double laps = 0, minutes = 0;
        foreach (var w in windows) { laps += w.Laps; }
        minutes = windows.Count > 0 ? windows[^1].StreamTime.TotalMinutes : 1;
        return (laps / minutes, counters, windows, run.Learner.Policy.Network.Shape);
    }

    [Test, Explicit]
    public void ExploreAc()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var random = Drive(s => new OnlineActorCritic(s, new OnlineAcOptions { LogStdInit = 0 }, 0), TimeSpan.FromMinutes(2), learn: false, envId: "CarSensors-v0");
        TestContext.Out.WriteLine($"random cont {random.LapsPerMinute:F3} laps/min in {sw.Elapsed}");
        foreach (var (env, opts) in new[] { ("CarSensorsDiscrete-v0", new OnlineAcOptions { NSteps = 16, LearningRate = 1e-3, Activation = "tanh" }), ("CarSensors-v0", new OnlineAcOptions { NSteps = 16, LearningRate = 1e-3, Activation = "tanh" }) })
        {
            sw.Restart();
            var ac = Drive(s => new OnlineActorCritic(s, opts, 0), TimeSpan.FromMinutes(6), learn: true, envId: env);
            foreach (var w in ac.Windows) TestContext.Out.WriteLine($"{w.StreamTime.TotalSeconds,6:F0}s laps/min {w.LapsPerMinute,7:F3} ret {w.MeanEpisodeReturn,8:F2} ep {w.Episodes} upd {w.Counters.Updates} {w.Shape}");
            TestContext.Out.WriteLine($"ac {env} {ac.LapsPerMinute:F3} laps/min in {sw.Elapsed}");
        }
    }

    [Test, Explicit]
    public void Explore()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var random = Drive(s => new OnlineDqn(s, new OnlineDqnOptions { ExplorationInitialEps = 1, ExplorationFinalEps = 1 }, 0), TimeSpan.FromMinutes(3), learn: false);
        TestContext.Out.WriteLine($"random {random.LapsPerMinute:F3} laps/min in {sw.Elapsed}");
        sw.Restart();
        var dqn = Drive(s => new OnlineDqn(s, new OnlineDqnOptions { ExplorationDecaySteps = 3000, LearningStarts = 500, BatchSize = 32, UpdatesPerStep = 0.5, TargetUpdateInterval = 250 }, 0), TimeSpan.FromMinutes(10), learn: true);
        foreach (var w in dqn.Windows) TestContext.Out.WriteLine($"{w.StreamTime.TotalSeconds,6:F0}s laps/min {w.LapsPerMinute,7:F3} ret {w.MeanEpisodeReturn,8:F2} ep {w.Episodes} upd {w.Counters.Updates} {w.Shape}");
        TestContext.Out.WriteLine($"dqn {dqn.LapsPerMinute:F3} laps/min in {sw.Elapsed}");
    }
}
