using System.Reactive.Subjects;
using RlPlat.Connectors.Streams;
using RlPlat.Connectors.Tests.TestEnvs;

namespace RlPlat.Connectors.Tests.Streams;

public class StreamEnvTests
{
    [Test]
    public void EnvToStreamToEnv_GivesTheSameTrajectoryAsTheEnvItself()
    {
        var actions = new Subject<int>();
        var source = EnvStream.AgentPaced(new CounterEnv(limit: 4), actions, seed: 2);
        using var env = new StreamEnv<float[], int>(source, actions, new TestFloatSpace(2), new TestIntSpace(3));
        var direct = new CounterEnv(limit: 4);

        var (o1, _) = env.Reset(2);
        var (d1, _) = direct.Reset(2);
        Assert.That(o1, Is.EqualTo(d1));
        int[] plan = [1, 0, 1, 2, 1];
        var got = new List<(float, double, bool)>();
        var want = new List<(float, double, bool)>();
        foreach (var a in plan)
        {
            var r = env.Step(a);
            var d = direct.Step(a);
            got.Add((r.Observation[0], r.Reward, r.Terminated));
            want.Add((d.Observation[0], d.Reward, d.Terminated));
            if (r.Done) { env.Reset(); direct.Reset(); }
        }
        Assert.That(got, Is.EqualTo(want));
        Assert.That(got.Count(t => t.Item3), Is.EqualTo(1));
    }

    [Test]
    public void Step_WithSilentSource_ThrowsTimeoutNamingTheWait()
    {
        var observations = new Subject<float[]>();
        using var env = StreamEnv.FromObservations<float[], int>(observations, new Subject<int>(), new TestFloatSpace(1), new TestIntSpace(2),
            options: new StreamEnvOptions { Timeout = TimeSpan.FromMilliseconds(50) });
        observations.OnNext([1f]);
        env.Reset();
        var e = Assert.Throws<TimeoutException>(() => env.Step(0));
        Assert.That(e!.Message, Does.Contain("0.05 s"));
    }

    [Test]
    public void ObservationSource_StepReturnsTheReadingAfterTheAction_WithReward()
    {
        var observations = new Subject<float[]>();
        var actions = new Subject<int>();
        // the "sensor" answers each action with a reading of action*10, after some stale readings
        actions.Subscribe(a => observations.OnNext([a * 10f]));
        using var env = StreamEnv.FromObservations<float[], int>(observations, actions, new TestFloatSpace(1), new TestIntSpace(3), reward: o => -o[0]);
        observations.OnNext([5f]);
        observations.OnNext([6f]);
        Assert.That(env.Reset().Observation, Is.EqualTo(new[] { 6f }), "reset returns the newest reading");
        observations.OnNext([7f]); // stale by the time of the next action
        var r = env.Step(2);
        Assert.That(r.Observation, Is.EqualTo(new[] { 20f }));
        Assert.That(r.Reward, Is.EqualTo(-20.0));
        var c = env.Counters;
        Assert.That((c.Received, c.Delivered, c.Dropped), Is.EqualTo((4L, 3L, 1L)), "reset takes 5 and 6 (keeping 6); 7 is dropped as stale");
    }

    [Test]
    public void CompletedSource_EndsTheEpisodeAsTruncated_ThenResetFails()
    {
        var observations = new Subject<float[]>();
        using var env = StreamEnv.FromObservations<float[], int>(observations, new Subject<int>(), new TestFloatSpace(1), new TestIntSpace(2));
        observations.OnNext([3f]);
        env.Reset();
        observations.OnCompleted();
        var r = env.Step(1);
        Assert.That(r.Truncated, Is.True);
        Assert.That(r.Observation, Is.EqualTo(new[] { 3f }));
        Assert.That(r.Info["stream_completed"], Is.EqualTo(true));
        Assert.That(() => env.Reset(), Throws.InvalidOperationException.With.Message.Contains("completed"));
    }
}
