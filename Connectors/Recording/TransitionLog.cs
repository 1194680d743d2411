using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using RlPlat.Connectors.Streams;

namespace RlPlat.Connectors.Recording;

/// <summary>How a replay paces its records.</summary>
public enum ReplayTiming
{
    /// <summary>Each record at its recorded offset from the first (divided by the speed), on the scheduler's clock.</summary>
    Original,

    /// <summary>Every record as soon as the previous one was delivered.</summary>
    AsFastAsPossible,
}

/// <summary>Recording a stream and reading it back as a dataset or a stream.</summary>
public static class TransitionLog
{
    /// <summary>Passes the stream through, recording every transition to <paramref name="writer"/> on the way.</summary>
    public static IObservable<Transition<TObs, TAction>> RecordTo<TObs, TAction>(this IObservable<Transition<TObs, TAction>> source, TransitionLogWriter<TObs, TAction> writer)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(writer);
        return source.Do(writer.OnNext, _ => writer.Flush(), writer.Flush);
    }

    /// <summary>The log as a dataset (an enumerable of transitions) for off-policy agents; streamed from disk.</summary>
    public static IEnumerable<Transition<TObs, TAction>> ReadAll<TObs, TAction>(string path)
    {
        using var reader = new TransitionLogReader(path);
        foreach (var t in reader.Read<TObs, TAction>()) yield return t;
    }

    /// <summary>
    /// The log as a stream on <paramref name="scheduler"/>: at the recorded timing (scaled by <paramref name="speed"/>)
    /// or as fast as possible. Transitions keep their recorded timestamps. The file is read lazily as records are due.
    /// </summary>
    public static IObservable<Transition<TObs, TAction>> Replay<TObs, TAction>(string path, IScheduler scheduler,
        ReplayTiming timing = ReplayTiming.Original, double speed = 1.0)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        if (!(speed > 0) || double.IsInfinity(speed)) throw new ArgumentException($"TransitionLog.Replay: speed must be positive and finite, got {speed}.", nameof(speed));
        return Observable.Create<Transition<TObs, TAction>>(observer =>
        {
            var reader = new TransitionLogReader(path);
            var records = reader.Read<TObs, TAction>().GetEnumerator();
            var start = scheduler.Now;
            DateTimeOffset? first = null;
            var schedule = new SerialDisposable();
            void Next()
            {
                bool more;
                try { more = records.MoveNext(); }
                catch (Exception e) { observer.OnError(e); return; }
                if (!more) { observer.OnCompleted(); return; }
                var t = records.Current;
                first ??= t.Timestamp;
                if (timing == ReplayTiming.AsFastAsPossible)
                {
                    observer.OnNext(t);
                    schedule.Disposable = scheduler.Schedule(Next);
                    return;
                }
                var due = start + TimeSpan.FromTicks((long)((t.Timestamp - first.Value).Ticks / speed));
                schedule.Disposable = scheduler.Schedule(due, () => { observer.OnNext(t); Next(); });
            }
            schedule.Disposable = scheduler.Schedule(Next);
            return Disposable.Create(() =>
            {
                schedule.Dispose();
                records.Dispose();
                reader.Dispose();
            });
        });
    }
}
