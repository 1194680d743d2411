using System.Reactive.Concurrency;
using RlPlat.Agents.Online;
using RlPlat.Connectors.Plugins;
using RlPlat.Environments.Car;

namespace RlPlat.Agents.Tests.Online;

public class OnlineSessionTests
{
    private static OnlineRun Open(IConnector connector, HistoricalScheduler clock, OnlineSessionOptions options, OnlineDqnOptions? dqn = null) =>
        OnlineRun.Open(connector, clock, s => new OnlineDqn(s, dqn ?? new OnlineDqnOptions { Hidden = [16], LearningStarts = 50, BatchSize = 8 }, 0), options);

    private static IConnector Sensor(double latencyMs = 0, double dropout = 0) => ConnectorRegistry.Create("sensor-stream", new Dictionary<string, object?>
    {
        ["env_id"] = "CarSensorsDiscrete-v0", ["rate_hz"] = 50.0, ["seed"] = 3L,
        ["latency"] = TimeSpan.FromMilliseconds(latencyMs), ["dropout_probability"] = dropout,
    });

    [Test]
    public void ReadingsDeliveredPastTheDeadlineGetTheFallbackActionAndCountAsLate()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        using var connector = Sensor(latencyMs: 30);
        using var run = Open(connector, clock, new OnlineSessionOptions { Deadline = TimeSpan.FromMilliseconds(20), FallbackAction = [2], Learner = LearnerMode.Scheduler });
        run.Start();
        run.RunFor(TimeSpan.FromSeconds(4));
        var c = run.Stop();
        // 30 ms of delivery delay against a 20 ms deadline: every action misses it and the fallback (brake) goes out.
        Assert.That(c.Actions, Is.GreaterThan(150));
        Assert.That(c.Late, Is.EqualTo(c.Actions));
        Assert.That(c.DeadlinesMet, Is.EqualTo(0));
        Assert.That(c.LatencyP50.TotalMilliseconds, Is.EqualTo(30).Within(1));
        Assert.That(c.Observations, Is.GreaterThanOrEqualTo(c.Actions), "the final step of an episode needs no action");
    }

    [Test]
    public void ReadingsWithinTheDeadlineGetThePolicysActionAndLatencyIncludesDeliveryDelay()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        using var connector = Sensor(latencyMs: 5);
        using var run = Open(connector, clock, new OnlineSessionOptions { Deadline = TimeSpan.FromMilliseconds(20), Learner = LearnerMode.Scheduler });
        run.Start();
        run.RunFor(TimeSpan.FromSeconds(4));
        var c = run.Stop();
        Assert.That(c.Late, Is.EqualTo(0));
        Assert.That(c.DeadlinesMet, Is.EqualTo(1));
        // Virtual delivery delay (5 ms) plus the real compute time of one action (microseconds).
        Assert.That(c.LatencyP50.TotalMilliseconds, Is.EqualTo(5).Within(1));
        Assert.That(c.Updates, Is.GreaterThan(0));
    }

    [Test]
    public void LostReadingsAreCountedAsDroppedAndNeverStoredAsTransitions()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        using var connector = Sensor(dropout: 0.2);
        using var run = Open(connector, clock, new OnlineSessionOptions { Learner = LearnerMode.Scheduler, Learn = true });
        run.Start();
        run.RunFor(TimeSpan.FromSeconds(20));
        var c = run.Stop();
        // 20 s at 50 Hz is 1000 ticks; about a fifth are lost.
        Assert.That(c.Dropped, Is.InRange(150, 250));
        Assert.That(run.Learner.Replay.Added, Is.LessThan(run.Session.Steps - c.Dropped / 2), "transitions across a gap are not stored");
    }

    [Test]
    public void ScheduledAndCommandedChangesReachTheCarBetweenSteps()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        using var connector = Sensor();
        var changes = EnvChangeSchedule.Parse("2s: friction(0.4); 3.5s: noise(0.05); 5s: fail_sensor(4)");
        using var run = Open(connector, clock, new OnlineSessionOptions { Learner = LearnerMode.Scheduler, Changes = changes });
        var seen = new List<EnvChange>();
        run.Session.EnvChanged += seen.Add;
        var car = (CarSensorsEnv<int>)run.Env.UnwrappedEnv;
        run.Start();
        run.RunFor(TimeSpan.FromSeconds(1.9));
        Assert.That(car.Friction, Is.EqualTo(1.0));
        run.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(car.Friction, Is.EqualTo(0.4));
        Assert.That(car.SensorNoise, Is.EqualTo(0.05));
        changes.Command("new_track", 11);
        run.RunFor(TimeSpan.FromSeconds(2));
        var c = run.Stop();
        Assert.That(seen.ConvertAll(e => e.Kind), Is.EqualTo(new[] { "friction", "noise", "new_track", "fail_sensor" }));
        Assert.That(car.Track.Seed, Is.EqualTo(11));
        Assert.That(c.EnvChanges, Is.EqualTo(4));
        // Ray 4 failed for good: it reads 1 (no return) whatever the car sees.
        Assert.That(car.Step(1).Observation[4], Is.EqualTo(1f));
    }

    [Test]
    public void ChangeScheduleTextIsParsedAndBadEntriesAreNamed()
    {
        var s = EnvChangeSchedule.Parse("60s: friction(0.6); 120: fail_sensor(4)\n30s: repair()");
        Assert.That(s.Planned.Select(p => p.ToString()), Is.EqualTo(new[] { "30s: repair()", "60s: friction(0.6)", "120s: fail_sensor(4)" }));
        Assert.That(() => EnvChangeSchedule.Parse("10s: gravity(2)"), Throws.ArgumentException.With.Message.Contains("gravity"));
        Assert.That(() => EnvChangeSchedule.Parse("10s friction"), Throws.ArgumentException.With.Message.Contains("10s friction"));
        Assert.That(() => EnvChangeSchedule.Parse("10s: friction(x)"), Throws.ArgumentException.With.Message.Contains("'x'"));
    }

    [Test]
    public void ActingGoesOnWhileTheLearnerFailsAndRestarts()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        using var connector = Sensor();
        using var run = Open(connector, clock, new OnlineSessionOptions { Learner = LearnerMode.Scheduler });
        var restarts = new List<string>();
        run.Learner.Event += (kind, data) => { if (kind == MetricKeysOnline.LearnerRestart) restarts.Add((string)data["error"]!); };
        // The first 20 attempts at update 40 fail (a transient fault); each failure goes back to update 40.
        int faults = 0;
        run.Learner.BeforeUpdate = n => { if (n == 40 && faults++ < 20) throw new InvalidOperationException($"fault at {n}"); };
        run.Start();
        run.RunFor(TimeSpan.FromSeconds(10));
        var c = run.Stop();
        Assert.That(restarts, Has.Count.EqualTo(20));
        Assert.That(restarts[0], Does.Contain("fault at 40"));
        Assert.That(c.LearnerFailures, Is.EqualTo(restarts.Count));
        Assert.That(c.Actions, Is.GreaterThan(480), "10 s at 50 Hz: the actor answered every reading");
        Assert.That(c.Updates, Is.GreaterThan(60), "learning resumed after the faults stopped");
    }

    [Test]
    public void LearnerOnItsOwnThreadKeepsUpWithARealTimeStream()
    {
        using var connector = ConnectorRegistry.Create("sensor-stream", new Dictionary<string, object?> { ["env_id"] = "CarSensorsDiscrete-v0", ["rate_hz"] = 200.0, ["seed"] = 1L });
        using var run = OnlineRun.Open(connector, Scheduler.Default, s => new OnlineDqn(s, new OnlineDqnOptions { Hidden = [16], LearningStarts = 20, BatchSize = 8 }, 0),
            new OnlineSessionOptions { Learner = LearnerMode.Thread, Deadline = TimeSpan.FromSeconds(1) });
        run.Start();
        run.RunFor(TimeSpan.FromSeconds(1.5));
        var c = run.Stop();
        Assert.That(c.Observations, Is.GreaterThan(100));
        Assert.That(c.Actions, Is.GreaterThan(100));
        Assert.That(c.Updates, Is.GreaterThan(0));
        Assert.That(c.Published, Is.GreaterThan(0));
    }
}
