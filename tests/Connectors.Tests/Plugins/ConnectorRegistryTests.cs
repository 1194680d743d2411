using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RlPlat.Connectors.Plugins;
using RlPlat.Connectors.Recording;
using RlPlat.Connectors.Remote;
using RlPlat.Connectors.Streams;
using RlPlat.Connectors.Tests.TestEnvs;
using RlPlat.Environments;

namespace RlPlat.Connectors.Tests.Plugins;

/// <summary>Options of the user-style connector below.</summary>
public sealed class CounterOptions : IValidatableOptions
{
    public int Limit { get; set; } = 5;

    public void Validate()
    {
        if (Limit < 1) throw new ArgumentException($"limit must be at least 1, got {Limit}.");
    }
}

/// <summary>A connector as a user writes one in their own assembly: options class, attribute, two methods.</summary>
[Connector("test-counter")]
public sealed class CounterConnector : Connector<CounterOptions>
{
    public override IEnv OpenEnv() => new CounterEnv(Options.Limit);

    public override IObservable<Transition<object, object>> OpenStream(ConnectorContext context) =>
        EnvStream.AgentPaced<object, object>(new ObjectEnv(OpenEnv()), context.Actions!, context.Scheduler);
}

public class ConnectorRegistryTests
{
    private static readonly Dictionary<string, object?> LocalCartPole = new() { ["env_id"] = "CartPole-v1" };

    [Test]
    public void BuiltIns_AreRegistered() =>
        Assert.That(ConnectorRegistry.Names, Is.SupersetOf(new[] { "local", "replay", "sensor-stream", "tcp", "websocket" }));

    [Test]
    public void UserConnector_IsFoundByAttributeName_AndByTypeName()
    {
        using var byAttribute = ConnectorRegistry.Create("test-counter", new Dictionary<string, object?> { ["limit"] = "2" });
        Assert.That(byAttribute.Name, Is.EqualTo("test-counter"));
        var env = (CounterEnv)byAttribute.OpenEnv();
        env.Reset();
        Assert.That(env.Step(2).Terminated, Is.True, "limit 2 was bound from the text '2'");

        using var byType = ConnectorRegistry.Create(typeof(CounterConnector).AssemblyQualifiedName!.Split(", Version")[0]);
        Assert.That(((CounterConnector)byType).Options.Limit, Is.EqualTo(5));
    }

    [Test]
    public void BadNamesAndOptions_AreClearErrors()
    {
        Assert.That(() => ConnectorRegistry.Create("carrier-pigeon"),
            Throws.ArgumentException.With.Message.Contains("connector 'carrier-pigeon' is unknown").And.Message.Contains("local, replay, sensor-stream, tcp"));
        Assert.That(() => ConnectorRegistry.Create("System.String"),
            Throws.ArgumentException.With.Message.Contains("not a concrete class implementing IConnector"));
        Assert.That(() => ConnectorRegistry.Create("test-counter", new Dictionary<string, object?> { ["limit"] = 0 }),
            Throws.ArgumentException.With.Message.EqualTo("connector 'test-counter': limit must be at least 1, got 0."));
        Assert.That(() => ConnectorRegistry.Create("tcp", new Dictionary<string, object?> { ["port"] = 0 }),
            Throws.ArgumentException.With.Message.Contains("port must be in [1, 65535], got 0"));
        Assert.That(() => ConnectorRegistry.Create("local"), Throws.ArgumentException.With.Message.Contains("env_id is required"));
    }

    [Test]
    public void Local_OpensTheRegistryEnv_AndTcp_ServesTheSameTrajectory()
    {
        using var server = new RemoteEnvServer().Start();
        using var local = ConnectorRegistry.Create("local", LocalCartPole);
        using var tcp = ConnectorRegistry.Create("tcp", new Dictionary<string, object?> { ["env_id"] = "CartPole-v1", ["port"] = server.Port });
        var a = (IEnv<float[], int>)local.OpenEnv();
        var b = (IEnv<float[], int>)tcp.OpenEnv();
        Assert.That(b.ObservationSpace, Is.TypeOf<Box>());
        Assert.That(((RemoteEnv<float[], int>)b).MaxEpisodeSteps, Is.EqualTo(500));
        Assert.That(b.Reset(42).Observation, Is.EqualTo(a.Reset(42).Observation));
        int steps = 0;
        while (true)
        {
            int action = steps % 3 == 0 ? 1 : 0;
            var ra = a.Step(action);
            var rb = b.Step(action);
            Assert.That((rb.Observation, rb.Reward, rb.Terminated, rb.Truncated), Is.EqualTo((ra.Observation, ra.Reward, ra.Terminated, ra.Truncated)), $"step {steps}");
            steps++;
            if (ra.Done) break;
        }
        Assert.That(steps, Is.GreaterThan(5));
        b.Close();
        a.Close();
    }

    [Test]
    public void Local_ClockedStream_RunsAtItsRateInVirtualTime()
    {
        using var local = ConnectorRegistry.Create("local", new Dictionary<string, object?> { ["env_id"] = "CartPole-v1", ["rate_hz"] = 50, ["seed"] = 1 });
        var clock = new HistoricalScheduler();
        var seen = new List<Transition<object, object>>();
        using (local.OpenStream(new ConnectorContext(clock)).Subscribe(seen.Add)) clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.That(seen.Count(t => !t.IsReset), Is.EqualTo(50));
        Assert.That(seen.Where(t => !t.IsReset).Select(t => t.Action), Is.All.EqualTo(0), "the default action of Discrete(2)");
        Assert.That(seen[0].Observation, Is.TypeOf<float[]>());
    }

    [Test]
    public void Local_ClockedStream_UsesTheContextsActions_AndAgentPacedNeedsThem()
    {
        using var local = ConnectorRegistry.Create("local", new Dictionary<string, object?> { ["env_id"] = "CartPole-v1", ["rate_hz"] = 10, ["default_action"] = "1" });
        var clock = new HistoricalScheduler();
        var actions = new Subject<object>();
        var seen = new List<object?>();
        using (local.OpenStream(new ConnectorContext(clock, actions)).Where(t => !t.IsReset).Subscribe(t => seen.Add(t.Action)))
        {
            clock.AdvanceBy(TimeSpan.FromMilliseconds(250));  // ticks at 100, 200 ms: the configured default action 1
            actions.OnNext(0);
            clock.AdvanceBy(TimeSpan.FromMilliseconds(100));  // tick at 300 ms: the agent's 0
        }
        Assert.That(seen, Is.EqualTo(new object[] { 1, 1, 0 }));
        using var paced = ConnectorRegistry.Create("local", LocalCartPole);
        Assert.That(() => paced.OpenStream(new ConnectorContext(clock)), Throws.InvalidOperationException.With.Message.Contains("needs actions"));
    }

    [Test]
    public void SensorStream_AddsLatencyNoiseAndDropouts_Reproducibly()
    {
        var options = new Dictionary<string, object?>
        {
            ["env_id"] = "CartPole-v1", ["rate_hz"] = 50, ["noise_std"] = 0.05, ["latency"] = "30ms", ["dropout_probability"] = 0.25, ["seed"] = 7,
        };
        List<(double Ms, float[] Obs, bool Reset)> Run(Dictionary<string, object?> o)
        {
            using var sensor = ConnectorRegistry.Create("sensor-stream", o);
            var clock = new HistoricalScheduler();
            var start = clock.Now;
            var got = new List<(double, float[], bool)>();
            using (sensor.OpenStream(new ConnectorContext(clock)).Subscribe(t => got.Add(((clock.Now - start).TotalMilliseconds, (float[])t.Observation, t.IsReset))))
                clock.AdvanceBy(TimeSpan.FromSeconds(4));
            return got;
        }
        var a = Run(options);
        var b = Run(options);
        Assert.That(a.Select(x => x.Ms), Is.EqualTo(b.Select(x => x.Ms)));
        Assert.That(a.SelectMany(x => x.Obs), Is.EqualTo(b.SelectMany(x => x.Obs)), "same seed, same readings");
        Assert.That(a[0].Ms, Is.EqualTo(30).Within(1e-9), "the first reading (the reset at t=0) arrives after the latency");
        Assert.That(a.Skip(1).All(x => Math.Abs((x.Ms - 30) / 20 - Math.Round((x.Ms - 30) / 20)) < 1e-6), Is.True, "readings land on the 50 Hz grid plus latency");
        int ordinary = a.Count(x => !x.Reset);
        // 200 ticks in 4 s; about a quarter of the ordinary ones are lost (binomial: 150 +- 3 sigma of about 18)
        Assert.That(ordinary, Is.InRange(120, 180));

        var clean = Run(new Dictionary<string, object?>(options) { ["noise_std"] = 0.0, ["dropout_probability"] = 0.0, ["latency"] = 0 });
        // the first reset is noisy in one run and clean in the other: the noise has the configured spread
        var diff = a[0].Obs.Zip(clean[0].Obs, (x, y) => (double)x - y).ToArray();
        Assert.That(diff.All(d => Math.Abs(d) < 0.05 * 5), Is.True);
        Assert.That(diff.Any(d => d != 0), Is.True);
    }

    [Test]
    public void SensorStream_Defaults_ToCarSensorsAt50Hz()
    {
        using var sensor = ConnectorRegistry.Create("sensor-stream", new Dictionary<string, object?> { ["seed"] = 1, ["noise_std"] = 0.01 });
        var clock = new HistoricalScheduler();
        var seen = new List<Transition<object, object>>();
        using (sensor.OpenStream(new ConnectorContext(clock)).Subscribe(seen.Add)) clock.AdvanceBy(TimeSpan.FromSeconds(2));
        Assert.That(seen.Count(t => !t.IsReset), Is.EqualTo(100));
        Assert.That(seen[0].Observation, Is.TypeOf<float[]>());
        Assert.That(seen[1].Action, Is.TypeOf<float[]>(), "CarSensors-v0 has a Box action; the default is its zero action clipped into the box");
    }

    [Test]
    public void CarSensors_ServedOverTcp_MatchesTheLocalEnv()
    {
        using var server = new RemoteEnvServer().Start();
        using var remote = RemoteEnv.Connect<float[], float[]>("127.0.0.1", server.Port, "CarSensors-v0");
        using var local = Gym.Make<float[], float[]>("CarSensors-v0");
        Assert.That(remote.Reset(5).Observation, Is.EqualTo(local.Reset(5).Observation));
        for (int i = 0; i < 20; i++)
        {
            float[] action = [0.3f, 0.5f];
            Assert.That(remote.Step(action).Observation, Is.EqualTo(local.Step(action).Observation), $"step {i}");
        }
    }

    [Test]
    public void SensorStream_AsAStepEnv_RunsInRealTime_AndTheAgentsActionsReachTheEnv()
    {
        Gym.Register("ConnectorsTest-Counter-v0", _ => new CounterEnv(limit: int.MaxValue));
        using var sensor = ConnectorRegistry.Create("sensor-stream", new Dictionary<string, object?> { ["env_id"] = "ConnectorsTest-Counter-v0", ["rate_hz"] = 200, ["seed"] = 3 });
        using var env = sensor.OpenEnv();
        Assert.That(env.ActionSpace, Is.TypeOf<Discrete>());
        Assert.That(((float[])env.ResetObject().Observation)[0], Is.EqualTo(3f), "the sensor's seed reaches the first reset; ticks before any action add the default 0");
        // Step k returns a reading taken after the k-th action was posted, or the tick in flight at that moment, so
        // whatever the machine's load, k steps of +2 leave the count at least 3 + 2 (k - 1), and always odd.
        float count = 3;
        for (int k = 1; k <= 5; k++)
        {
            float now = ((float[])env.StepObject(2).Observation)[0];
            Assert.That(now, Is.GreaterThanOrEqualTo(Math.Max(count, 3 + 2 * (k - 1))), $"step {k}");
            Assert.That(now % 2, Is.EqualTo(1f));
            count = now;
        }
    }

    [Test]
    public void Replay_PlaysARecordingBackAsAnEnv()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rlplat-replay-{Guid.NewGuid():N}.rlog");
        try
        {
            var env = new CounterEnv(limit: 3);
            var actions = new Subject<int>();
            using (var writer = new TransitionLogWriter<float[], int>(path, env.ObservationSpace, env.ActionSpace))
            using (EnvStream.AgentPaced(env, actions, seed: 1).RecordTo(writer).Subscribe())
                foreach (var a in new[] { 1, 1, 2, 2 }) actions.OnNext(a); // episode 0: 1 -> 2 -> 3 (done); episode 1: 0 -> 2 -> 4 (done)

            using var replay = ConnectorRegistry.Create("replay", new Dictionary<string, object?> { ["path"] = path, ["loop"] = true });
            var r = replay.OpenEnv();
            Assert.That(r.ObservationSpace, Is.TypeOf<Box>());
            Assert.That(r.ResetObject().Observation, Is.EqualTo(new[] { 1f, 0f }));
            var s1 = r.StepObject(0);
            Assert.That((s1.Observation, s1.Reward, s1.Info["recorded_action"]), Is.EqualTo((new[] { 2f, 1f }, 1.0, 1)));
            Assert.That(r.StepObject(0).Terminated, Is.True);
            Assert.That(r.ResetObject().Observation, Is.EqualTo(new[] { 0f, 0f }));
            r.StepObject(0);
            Assert.That(r.StepObject(0).Observation, Is.EqualTo(new[] { 4f, 2f }));
            Assert.That(r.ResetObject().Observation, Is.EqualTo(new[] { 0f, 0f }), "the trailing reset record is the third episode");
            Assert.That(r.StepObject(0).Info["replay_end"], Is.EqualTo(true));
            Assert.That(r.ResetObject().Observation, Is.EqualTo(new[] { 1f, 0f }), "loop starts over");
            r.Close();
        }
        finally { File.Delete(path); }
    }
}
