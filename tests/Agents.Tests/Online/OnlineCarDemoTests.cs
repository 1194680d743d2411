using System.Reactive.Concurrency;
using RlPlat.Agents.Online;
using RlPlat.Connectors.Plugins;

namespace RlPlat.Agents.Tests.Online;

/// <summary>
/// The car demo in virtual time: CarSensors streamed at 50 Hz through the sensor-stream connector on a
/// HistoricalScheduler, an online agent learning from scratch, compared with a random policy on the same stream.
/// </summary>
public class OnlineCarDemoTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    internal sealed record DemoResult(List<OnlineWindow> Windows, OnlineCountersSnapshot Counters, string Shape, List<string> Growths)
    {
        /// <summary>Laps per minute of stream time over the last <paramref name="windows"/> windows.</summary>
        public double LapsPerMinute(int windows)
        {
            double laps = 0;
            for (int i = Windows.Count - windows; i < Windows.Count; i++) laps += Windows[i].Laps;
            return laps / (windows * Window.TotalMinutes);
        }
    }

    internal static DemoResult Drive(Func<AgentSpaces, OnlineLearner> make, TimeSpan duration, bool learn, string envId, int seed = 0)
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        using var connector = ConnectorRegistry.Create("sensor-stream", new Dictionary<string, object?> { ["env_id"] = envId, ["rate_hz"] = 50.0, ["seed"] = (long)seed });
        using var run = OnlineRun.Open(connector, clock, make, new OnlineSessionOptions { Learner = LearnerMode.Scheduler, Learn = learn, ActorSeed = seed, WindowLength = Window });
        var windows = new List<OnlineWindow>();
        var growths = new List<string>();
        run.Session.WindowClosed += windows.Add;
        run.Learner.Event += (kind, data) => { if (kind == MetricKeysOnline.Growth) growths.Add((string)data["shape"]!); };
        run.Start();
        run.RunFor(duration);
        var counters = run.Stop();
        return new DemoResult(windows, counters, run.Learner.Policy.Network.Shape, growths);
    }

    // Uniformly random discrete actions: epsilon stays 1 and nothing is learned.
    private static DemoResult RandomDiscrete() => Drive(s => new OnlineDqn(s, new OnlineDqnOptions { ExplorationInitialEps = 1, ExplorationFinalEps = 1 }, 0),
        TimeSpan.FromMinutes(2), learn: false, "CarSensorsDiscrete-v0");

    private static OnlineDqnOptions DemoDqn(GrowthOptions? growth = null) => new()
    {
        ExplorationDecaySteps = 3000, LearningStarts = 500, BatchSize = 32, UpdatesPerStep = 0.5, TargetUpdateInterval = 250, Growth = growth,
    };

    [Test]
    public void OnlineDqnFromScratchDrivesAtLeastTwoAndAHalfTimesTheRandomPolicysLapsPerMinute()
    {
        var random = RandomDiscrete();
        var dqn = Drive(s => new OnlineDqn(s, DemoDqn(), 0), TimeSpan.FromMinutes(3), learn: true, "CarSensorsDiscrete-v0");
        double baseline = random.LapsPerMinute(4), learned = dqn.LapsPerMinute(1);
        TestContext.Out.WriteLine($"random {baseline:F2} laps/min, online-dqn last 30 s {learned:F2} laps/min, {dqn.Counters.Updates} updates");
        Assert.That(baseline, Is.GreaterThan(1), "the random policy makes some progress");
        Assert.That(learned, Is.GreaterThan(2.5 * baseline));
        Assert.That(dqn.Counters.DeadlinesMet, Is.EqualTo(1));
        Assert.That(dqn.Counters.Updates, Is.EqualTo((long)((dqn.Windows[^1].Steps - 0) * 0.5)).Within(60));
    }

    [Test]
    public void GrowingOnlineDqnGrowsFunctionPreservinglyAndStillLearnsToDrive()
    {
        var random = RandomDiscrete();
        var growth = new GrowthOptions { EverySteps = 2500, AddUnits = 16, AddLayers = 1, MaxUnits = 96, MaxLayers = 3 };
        var dqn = Drive(s => new OnlineDqn(s, DemoDqn(growth) with { Hidden = [32, 32] }, 0), TimeSpan.FromMinutes(3), learn: true, "CarSensorsDiscrete-v0");
        double baseline = random.LapsPerMinute(4), learned = dqn.LapsPerMinute(1);
        TestContext.Out.WriteLine($"random {baseline:F2} laps/min, growing online-dqn last 30 s {learned:F2} laps/min; shapes {string.Join(" -> ", dqn.Growths)}");
        Assert.That(dqn.Growths[0], Is.EqualTo("12-48-32-5"));
        Assert.That(dqn.Shape, Is.EqualTo(dqn.Growths[^1]));
        Assert.That(dqn.Counters.Growths, Is.GreaterThanOrEqualTo(2));
        Assert.That(learned, Is.GreaterThan(2.5 * baseline));
    }

    [Test]
    public void ContinuousOnlineActorCriticDrivesAtLeastTwiceTheRandomPolicysLapsPerMinute()
    {
        var options = new OnlineAcOptions { NSteps = 16, LearningRate = 1e-3, Activation = "tanh" };
        var random = Drive(s => new OnlineActorCritic(s, options with { LogStdInit = 0 }, 0), TimeSpan.FromMinutes(2), learn: false, "CarSensors-v0");
        var ac = Drive(s => new OnlineActorCritic(s, options, 0), TimeSpan.FromMinutes(4), learn: true, "CarSensors-v0");
        double baseline = random.LapsPerMinute(4), learned = ac.LapsPerMinute(4);
        TestContext.Out.WriteLine($"random {baseline:F2} laps/min, online-ac last 2 min {learned:F2} laps/min");
        Assert.That(learned, Is.GreaterThan(2 * baseline));
    }

    [Test]
    public void TheSameSeedGivesTheSameRunInVirtualTime()
    {
        DemoResult Once() => Drive(s => new OnlineDqn(s, DemoDqn(new GrowthOptions { EverySteps = 600 }), 0), TimeSpan.FromSeconds(61), learn: true, "CarSensorsDiscrete-v0", seed: 4);
        var a = Once();
        var b = Once();
        Assert.That(b.Windows.ConvertAll(w => (w.Laps, w.RewardSum, w.Shape)), Is.EqualTo(a.Windows.ConvertAll(w => (w.Laps, w.RewardSum, w.Shape))));
        Assert.That(b.Counters.Updates, Is.EqualTo(a.Counters.Updates));
        Assert.That(a.Growths, Is.Not.Empty);
    }
}
