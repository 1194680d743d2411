using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RlPlat.Connectors.Streams;
using RlPlat.Connectors.Tests.TestEnvs;

namespace RlPlat.Connectors.Tests.Streams;

public class EnvStreamTests
{
    [Test]
    public void AgentPaced_EmitsResetThenOneTransitionPerAction_WithCopiedObservations()
    {
        var env = new CounterEnv(limit: 3);
        var actions = new Subject<int>();
        var clock = new HistoricalScheduler(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var seen = new List<Transition<float[], int>>();
        using var _ = EnvStream.AgentPaced(env, actions, clock, seed: 1).Subscribe(seen.Add);
        actions.OnNext(1);
        clock.AdvanceBy(TimeSpan.FromSeconds(1));
        actions.OnNext(2); // count 1 -> 2 -> 4 >= 3: terminal, then an automatic reset (seed only on the first reset: 0)

        Assert.That(seen, Has.Count.EqualTo(4));
        Assert.That(seen.Select(t => t.IsReset), Is.EqualTo(new[] { true, false, false, true }));
        Assert.That(seen.Select(t => t.Observation[0]), Is.EqualTo(new[] { 1f, 2f, 4f, 0f }), "each event keeps its own copy of the env's reused buffer");
        Assert.That(seen.Select(t => t.Reward), Is.EqualTo(new[] { 0.0, 1.0, 2.0, 0.0 }));
        Assert.That(seen.Select(t => t.Action), Is.EqualTo(new[] { 0, 1, 2, 0 }));
        Assert.That(seen.Select(t => t.Episode), Is.EqualTo(new long[] { 0, 0, 0, 1 }));
        Assert.That(seen.Select(t => t.Index), Is.EqualTo(new long[] { 0, 1, 2, 3 }));
        Assert.That(seen[2].Terminated, Is.True);
        Assert.That(seen[2].Timestamp - seen[1].Timestamp, Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void AgentPaced_ActionsFromManyThreads_AreSerialized()
    {
        var env = new CounterEnv(limit: int.MaxValue);
        var actions = new Subject<int>();
        var indices = new List<long>();
        using var _ = EnvStream.AgentPaced(env, actions).Subscribe(t => indices.Add(t.Index));
        Parallel.For(0, 4, _ => { for (int i = 0; i < 500; i++) actions.OnNext(1); });
        Assert.That(env.Steps, Is.EqualTo(2000));
        Assert.That(indices, Is.EqualTo(Enumerable.Range(0, 2001).Select(i => (long)i)));
    }

    [Test]
    public void Clocked_AdvancesAtItsRate_ReusingTheLastActionWhenTheAgentIsLate()
    {
        var env = new CounterEnv(limit: 1000);
        var clock = new HistoricalScheduler();
        var stream = EnvStream.Clocked(env, TimeSpan.FromMilliseconds(10), clock, defaultAction: 0);
        var seen = new List<Transition<float[], int>>();
        using var _ = stream.Subscribe(seen.Add);
        clock.AdvanceBy(TimeSpan.FromMilliseconds(25));   // ticks at 10, 20 with the default action 0
        stream.Actions.OnNext(2);
        clock.AdvanceBy(TimeSpan.FromMilliseconds(10));   // tick at 30 uses 2
        clock.AdvanceBy(TimeSpan.FromMilliseconds(20));   // ticks at 40, 50: no answer, reuse 2
        stream.Actions.OnNext(1);
        stream.Actions.OnNext(0);                         // replaces 1 before the tick: one dropped action
        clock.AdvanceBy(TimeSpan.FromMilliseconds(10));   // tick at 60 uses 0

        Assert.That(seen.Select(t => t.Action), Is.EqualTo(new[] { 0, 0, 0, 2, 2, 2, 0 }));
        Assert.That(seen.Select(t => t.Observation[0]), Is.EqualTo(new[] { 0f, 0f, 0f, 2f, 4f, 6f, 6f }));
        Assert.That(seen.Select(t => (t.Timestamp - DateTimeOffset.MinValue).TotalMilliseconds), Is.EqualTo(new[] { 0.0, 10, 20, 30, 40, 50, 60 }));
        var c = stream.Counters;
        Assert.That((c.Received, c.Delivered, c.Dropped, c.Late), Is.EqualTo((3L, 2L, 1L, 4L)));
    }

    [Test]
    public void Clocked_WithoutReuse_FallsBackToTheDefaultAction_AndResetsAfterTerminal()
    {
        var env = new CounterEnv(limit: 2);
        var clock = new HistoricalScheduler();
        var stream = EnvStream.Clocked(env, TimeSpan.FromSeconds(1), clock, defaultAction: 1, reuseLastAction: false);
        var seen = new List<Transition<float[], int>>();
        using var _ = stream.Subscribe(seen.Add);
        stream.Actions.OnNext(2);
        clock.AdvanceBy(TimeSpan.FromSeconds(3));
        // tick 1: action 2 -> count 2, terminal, reset; tick 2: default 1 -> 1; tick 3: default 1 -> 2 terminal, reset
        Assert.That(seen.Select(t => (t.IsReset, t.Action, t.Observation[0])),
            Is.EqualTo(new[] { (true, 0, 0f), (false, 2, 2f), (true, 0, 0f), (false, 1, 1f), (false, 1, 2f), (true, 0, 0f) }));
        Assert.That(env.Resets, Is.EqualTo(3));
    }

    [Test]
    public void Clocked_SecondSubscriber_IsRefused()
    {
        var stream = EnvStream.Clocked(new CounterEnv(), TimeSpan.FromSeconds(1), new HistoricalScheduler(), 0);
        using var first = stream.Subscribe(_ => { });
        var e = Assert.Throws<InvalidOperationException>(() => stream.Subscribe(_ => { }));
        Assert.That(e!.Message, Does.Contain("already subscribed"));
    }
}
