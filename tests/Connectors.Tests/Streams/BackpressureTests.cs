using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RlPlat.Connectors.Streams;

namespace RlPlat.Connectors.Tests.Streams;

public class BackpressureTests
{
    private static readonly TimeSpan TenKilohertz = TimeSpan.FromTicks(1000); // 100 µs

    /// <summary>A 10 kHz producer and a 100 Hz consumer for 10 s of virtual time: memory stays at the capacity.</summary>
    [TestCase(BackpressurePolicy.DropOldest, 64)]
    [TestCase(BackpressurePolicy.LatestOnly, 1)]
    public void FastProducerSlowConsumer_StaysBounded_AndCountsEveryItem(BackpressurePolicy policy, int expectedMax)
    {
        var clock = new HistoricalScheduler();
        using var buffer = new BackpressureBuffer<long>(policy, capacity: 64, clock: clock);
        using var producer = buffer.Attach(Observable.Interval(TenKilohertz, clock));
        long taken = 0, last = -1;
        bool ordered = true;
        using var consumer = Observable.Interval(TimeSpan.FromMilliseconds(10), clock).Subscribe(_ =>
        {
            if (!buffer.TryTake(out var item)) return;
            taken++;
            ordered &= item > last;
            last = item;
        });
        clock.AdvanceBy(TimeSpan.FromSeconds(10));

        var c = buffer.Counters;
        Assert.That(c.Received, Is.EqualTo(100_000));
        Assert.That(c.Delivered, Is.EqualTo(1000).And.EqualTo(taken));
        Assert.That(c.MaxPending, Is.EqualTo(expectedMax));
        Assert.That(c.Pending, Is.EqualTo(expectedMax));
        Assert.That(c.Dropped, Is.EqualTo(100_000 - 1000 - expectedMax));
        Assert.That(c.Balanced && ordered, Is.True);
        Assert.That(last, Is.GreaterThanOrEqualTo(99_999 - expectedMax), "the consumer sees recent items, not old ones");
    }

    [Test]
    public void ProducersOnManyThreads_AreSerialized_AndEveryItemIsAccountedFor()
    {
        using var buffer = new BackpressureBuffer<int>(BackpressurePolicy.DropOldest, capacity: 16);
        long taken = 0;
        var consumer = Task.Run(() => { while (buffer.TryTake(out _, TimeSpan.FromSeconds(5))) taken++; });
        Parallel.For(0, 4, t => { for (int i = 0; i < 25_000; i++) buffer.OnNext(i); });
        buffer.OnCompleted();
        consumer.Wait(TimeSpan.FromSeconds(30));
        var c = buffer.Counters;
        Assert.That(c.Received, Is.EqualTo(100_000));
        Assert.That(c.Delivered, Is.EqualTo(taken));
        Assert.That(c.Delivered + c.Dropped, Is.EqualTo(100_000));
        Assert.That(c.MaxPending, Is.LessThanOrEqualTo(16));
    }

    [Test]
    public void Late_CountsItemsOlderThanTheLimitWhenTaken()
    {
        var clock = new HistoricalScheduler();
        using var buffer = new BackpressureBuffer<int>(BackpressurePolicy.DropOldest, capacity: 10, clock: clock, lateAfter: TimeSpan.FromMilliseconds(5));
        for (int i = 0; i < 10; i++) { buffer.OnNext(i); clock.AdvanceBy(TimeSpan.FromMilliseconds(1)); }
        // now = 10 ms; item i arrived at i ms: ages 10..1 ms, so items 0..4 (age > 5 ms) are late
        for (int i = 0; i < 10; i++) Assert.That(buffer.TryTake(out var x) && x == i, Is.True);
        Assert.That(buffer.Counters.Late, Is.EqualTo(5));
        Assert.That(buffer.Counters.Delivered, Is.EqualTo(10));
    }

    [Test]
    public void Block_LosesNothing_AndHoldsAtMostTheCapacity()
    {
        using var buffer = new BackpressureBuffer<int>(BackpressurePolicy.Block, capacity: 8);
        const int n = 20_000;
        var producer = Task.Run(() => { for (int i = 0; i < n; i++) buffer.OnNext(i); buffer.OnCompleted(); });
        var got = new List<int>(n);
        while (buffer.TryTake(out var item, TimeSpan.FromSeconds(10))) got.Add(item);
        producer.Wait(TimeSpan.FromSeconds(10));
        Assert.That(got, Is.EqualTo(Enumerable.Range(0, n)));
        var c = buffer.Counters;
        Assert.That((c.Received, c.Delivered, c.Dropped), Is.EqualTo(((long)n, (long)n, 0L)));
        Assert.That(c.MaxPending, Is.LessThanOrEqualTo(8));
        Assert.That(buffer.IsCompleted, Is.True);
    }

    [Test]
    public void Drain_DeliversOnTheScheduler_ThenCompletes()
    {
        var clock = new HistoricalScheduler();
        using var buffer = new BackpressureBuffer<int>(BackpressurePolicy.DropOldest, capacity: 3, clock: clock);
        var got = new List<int>();
        bool completed = false;
        using var _ = buffer.Drain(clock).Subscribe(got.Add, () => completed = true);
        for (int i = 0; i < 5; i++) buffer.OnNext(i); // 0 and 1 are dropped before the drain runs
        Assert.That(got, Is.Empty, "nothing is delivered until the scheduler runs");
        clock.AdvanceBy(TimeSpan.FromTicks(1));
        buffer.OnNext(5);
        buffer.OnCompleted();
        clock.AdvanceBy(TimeSpan.FromTicks(1));
        Assert.That(got, Is.EqualTo(new[] { 2, 3, 4, 5 }));
        Assert.That(completed, Is.True);
        Assert.That(buffer.Counters.Dropped, Is.EqualTo(2));
    }

    [Test]
    public void SourceError_ReachesTheTakerAfterHeldItems()
    {
        using var buffer = new BackpressureBuffer<int>(BackpressurePolicy.DropOldest, capacity: 4);
        buffer.OnNext(7);
        buffer.OnError(new IOException("sensor unplugged"));
        Assert.That(buffer.TryTake(out var x, TimeSpan.FromSeconds(1)) && x == 7, Is.True);
        var e = Assert.Throws<InvalidOperationException>(() => buffer.TryTake(out _, TimeSpan.FromSeconds(1)));
        Assert.That(e!.Message, Does.Contain("sensor unplugged"));
    }

    [Test]
    public void BadArguments_NameTheValue()
    {
        Assert.That(() => new BackpressureBuffer<int>(BackpressurePolicy.DropOldest, 0), Throws.ArgumentException.With.Message.Contains("got 0"));
        Assert.That(() => new BackpressureBuffer<int>((BackpressurePolicy)9), Throws.ArgumentException.With.Message.Contains("9"));
    }

    [Test]
    public void Drain_OnASchedulerThatRunsWorkInParallel_NeverOverlapsOnNext()
    {
        using var buffer = new BackpressureBuffer<int>(BackpressurePolicy.DropOldest, 1000);
        int inside = 0, overlaps = 0;
        var seen = new List<int>();
        using var done = new ManualResetEventSlim();
        using var _ = buffer.Drain(NewThreadScheduler.Default).Subscribe(i =>
        {
            if (Interlocked.Increment(ref inside) > 1) Interlocked.Increment(ref overlaps);
            Thread.Sleep(1); // a slow observer: items keep arriving while it works
            Interlocked.Decrement(ref inside);
            lock (seen) { seen.Add(i); if (seen.Count == 200) done.Set(); }
        });
        for (int i = 0; i < 200; i++)
        {
            buffer.OnNext(i);
            if (i % 10 == 0) Thread.Sleep(1);
        }
        Assert.That(done.Wait(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(overlaps, Is.Zero);
        lock (seen) Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 200)));
    }
}
