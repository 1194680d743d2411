using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace RlPlat.Connectors.Streams;

/// <summary>
/// A bounded hand-off between a producer (an <see cref="IObservable{T}"/>, possibly calling from several threads) and a
/// consumer that takes at its own pace. Memory is bounded by <see cref="Capacity"/> whatever the load: the ring is
/// allocated once. Counts received, delivered, dropped and late items (older than <c>lateAfter</c> when taken).
/// </summary>
public sealed class BackpressureBuffer<T> : IObserver<T>, IDisposable
{
    private readonly T[] items;
    private readonly DateTimeOffset[] arrivals;
    private readonly object gate = new();
    private readonly IScheduler clock;
    private readonly TimeSpan lateAfter;
    private int head, count, maxCount;
    private long received, delivered, dropped, late;
    private bool completed, disposed;
    private Exception? error;
    private Action? onAvailable;
    private IDisposable? upstream;

    /// <summary>Creates a buffer.</summary>
    /// <param name="policy">What to do when full.</param>
    /// <param name="capacity">Most items held (1 for <see cref="BackpressurePolicy.LatestOnly"/>, whatever is passed).</param>
    /// <param name="clock">Clock for arrival times and lateness; the default is <see cref="Scheduler.Default"/>.</param>
    /// <param name="lateAfter">An item taken later than this after it arrived counts as late; infinite by default.</param>
    public BackpressureBuffer(BackpressurePolicy policy, int capacity = 1, IScheduler? clock = null, TimeSpan? lateAfter = null)
    {
        if (!Enum.IsDefined(policy)) throw new ArgumentException($"BackpressureBuffer: unknown policy {(int)policy}.", nameof(policy));
        if (policy == BackpressurePolicy.LatestOnly) capacity = 1;
        if (capacity < 1) throw new ArgumentException($"BackpressureBuffer: capacity must be at least 1, got {capacity}.", nameof(capacity));
        if (lateAfter is { } l && l < TimeSpan.Zero) throw new ArgumentException($"BackpressureBuffer: lateAfter must not be negative, got {l}.", nameof(lateAfter));
        Policy = policy;
        Capacity = capacity;
        items = new T[capacity];
        arrivals = new DateTimeOffset[capacity];
        this.clock = clock ?? Scheduler.Default;
        this.lateAfter = lateAfter ?? TimeSpan.MaxValue;
    }

    /// <summary>The policy applied when full.</summary>
    public BackpressurePolicy Policy { get; }

    /// <summary>Most items held at once.</summary>
    public int Capacity { get; }

    /// <summary>A consistent snapshot of the counters.</summary>
    public StreamCounters Counters
    {
        get { lock (gate) return new StreamCounters(received, delivered, dropped, late, count, maxCount); }
    }

    /// <summary>True once the source completed or failed and every held item was taken.</summary>
    public bool IsCompleted
    {
        get { lock (gate) return completed && count == 0; }
    }

    /// <summary>Subscribes this buffer to <paramref name="source"/>; dispose the result (or the buffer) to detach.</summary>
    public IDisposable Attach(IObservable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var subscription = source.Subscribe(this);
        lock (gate)
        {
            if (upstream is not null) { subscription.Dispose(); throw new InvalidOperationException("BackpressureBuffer: already attached to a source."); }
            upstream = subscription;
        }
        return Disposable.Create(Detach);
    }

    private void Detach()
    {
        IDisposable? up;
        lock (gate) { up = upstream; upstream = null; }
        up?.Dispose();
    }

    /// <summary>Producer side: offers one item, applying the policy when full.</summary>
    public void OnNext(T value)
    {
        Action? notify;
        lock (gate)
        {
            if (completed || disposed) return;
            received++;
            if (count == Capacity)
            {
                if (Policy == BackpressurePolicy.Block)
                {
                    while (count == Capacity && !disposed) Monitor.Wait(gate);
                    if (disposed) { dropped++; return; }
                }
                else
                {
                    // Drop the oldest so the newest always gets in.
                    items[head] = default!;
                    head = (head + 1) % Capacity;
                    count--;
                    dropped++;
                }
            }
            int tail = (head + count) % Capacity;
            items[tail] = value;
            arrivals[tail] = clock.Now;
            count++;
            if (count > maxCount) maxCount = count;
            notify = onAvailable;
            Monitor.PulseAll(gate);
        }
        notify?.Invoke();
    }

    /// <summary>Producer side: the source ended; held items can still be taken.</summary>
    public void OnCompleted()
    {
        Action? notify;
        lock (gate) { completed = true; notify = onAvailable; Monitor.PulseAll(gate); }
        notify?.Invoke();
    }

    /// <summary>Producer side: the source failed; takers see the error once held items are gone.</summary>
    public void OnError(Exception exception)
    {
        Action? notify;
        lock (gate) { completed = true; error = exception; notify = onAvailable; Monitor.PulseAll(gate); }
        notify?.Invoke();
    }

    /// <summary>Takes the oldest held item without waiting; false when none is held.</summary>
    public bool TryTake(out T item)
    {
        lock (gate) return TakeLocked(out item);
    }

    /// <summary>
    /// Takes the oldest held item, waiting up to <paramref name="timeout"/> (real time) for one. False when the wait
    /// timed out or the source completed; throws the source's error once nothing is left.
    /// </summary>
    public bool TryTake(out T item, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        lock (gate)
        {
            while (count == 0)
            {
                if (error is not null) throw new InvalidOperationException("BackpressureBuffer: the source failed: " + error.Message, error);
                if (completed || disposed) { item = default!; return false; }
                long left = deadline - Environment.TickCount64;
                if (left <= 0) { item = default!; return false; }
                Monitor.Wait(gate, (int)Math.Min(left, int.MaxValue));
            }
            return TakeLocked(out item);
        }
    }

    /// <summary>Discards every held item (counted as dropped), e.g. stale readings before a fresh request.</summary>
    public int Clear()
    {
        lock (gate)
        {
            int n = count;
            while (count > 0) { items[head] = default!; head = (head + 1) % Capacity; count--; }
            dropped += n;
            Monitor.PulseAll(gate);
            return n;
        }
    }

    /// <summary>
    /// The held items as a stream delivered on <paramref name="scheduler"/>: each time items arrive, one scheduled drain
    /// hands over everything held. A slow observer slows the drain, never the producer. One subscriber at a time.
    /// </summary>
    public IObservable<T> Drain(IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return Observable.Create<T>(observer =>
        {
            var serial = new SerialDisposable();
            int scheduled = 0;
            bool stopped = false;
            void DrainOnce()
            {
                while (true)
                {
                    while (!stopped && TryTake(out var item)) observer.OnNext(item);
                    Exception? failure;
                    bool done;
                    lock (gate) { done = completed && count == 0; failure = error; }
                    if (stopped) return;
                    if (done)
                    {
                        stopped = true;
                        if (failure is null) observer.OnCompleted(); else observer.OnError(failure);
                        return;
                    }
                    // The flag stays set while draining, so a scheduler that runs work in parallel (NewThread, TaskPool)
                    // never gets two drains calling OnNext at once. Clear it, then look again for items that arrived
                    // while it was still set (their Available call scheduled nothing).
                    Volatile.Write(ref scheduled, 0);
                    bool more;
                    lock (gate) more = count > 0 || completed;
                    if (!more || Interlocked.Exchange(ref scheduled, 1) != 0) return;
                }
            }
            void Available()
            {
                if (Interlocked.Exchange(ref scheduled, 1) == 0) serial.Disposable = scheduler.Schedule(DrainOnce);
            }
            lock (gate)
            {
                if (onAvailable is not null) throw new InvalidOperationException("BackpressureBuffer: Drain allows one subscriber at a time.");
                onAvailable = Available;
            }
            Available();
            return Disposable.Create(() =>
            {
                stopped = true;
                lock (gate) onAvailable = null;
                serial.Dispose();
            });
        });
    }

    private bool TakeLocked(out T item)
    {
        if (count == 0) { item = default!; return false; }
        item = items[head];
        if (clock.Now - arrivals[head] > lateAfter) late++;
        items[head] = default!;
        head = (head + 1) % Capacity;
        count--;
        delivered++;
        Monitor.PulseAll(gate);
        return true;
    }

    /// <summary>Detaches from the source and wakes any blocked producer or taker.</summary>
    public void Dispose()
    {
        lock (gate) { disposed = true; Monitor.PulseAll(gate); }
        Detach();
    }
}
