using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using RlPlat.Environments;

namespace RlPlat.Connectors.Streams;

/// <summary>Step env -> stream adapters: an <see cref="IEnv{TObs,TAction}"/> seen as a stream of transitions.</summary>
public static class EnvStream
{
    /// <summary>
    /// Agent-paced: on subscribe the env is reset and its first observation emitted; each action from
    /// <paramref name="actions"/> steps the env and emits the transition; a finished episode is followed by a reset
    /// event. Actions arriving from several threads are serialized. Timestamps come from <paramref name="clock"/>.
    /// </summary>
    public static IObservable<Transition<TObs, TAction>> AgentPaced<TObs, TAction>(
        IEnv<TObs, TAction> env, IObservable<TAction> actions, IScheduler? clock = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(actions);
        var time = clock ?? Scheduler.Default;
        return Observable.Create<Transition<TObs, TAction>>(observer =>
        {
            var stepper = new EnvStepper<TObs, TAction>(env, time, seed);
            observer.OnNext(stepper.Reset());
            return actions.Synchronize().Subscribe(
                action =>
                {
                    Transition<TObs, TAction> step, reset;
                    try
                    {
                        step = stepper.Step(action);
                        observer.OnNext(step);
                        if (!step.Done) return;
                        reset = stepper.Reset();
                    }
                    catch (Exception e) { observer.OnError(e); return; }
                    observer.OnNext(reset);
                },
                observer.OnError,
                observer.OnCompleted);
        });
    }

    /// <summary>
    /// Real-time: the env advances every <paramref name="period"/> on <paramref name="scheduler"/> whether or not the
    /// agent answered; see <see cref="ClockedEnvStream{TObs,TAction}"/>.
    /// </summary>
    public static ClockedEnvStream<TObs, TAction> Clocked<TObs, TAction>(
        IEnv<TObs, TAction> env, TimeSpan period, IScheduler scheduler, TAction defaultAction,
        bool reuseLastAction = true, int? seed = null)
        => new(env, period, scheduler, defaultAction, reuseLastAction, seed);
}

/// <summary>Steps an env and wraps each result as a <see cref="Transition{TObs,TAction}"/> with copied observation.</summary>
internal sealed class EnvStepper<TObs, TAction>(IEnv<TObs, TAction> env, IScheduler clock, int? seed)
{
    private long index, episode = -1;
    private bool seeded;

    public Transition<TObs, TAction> Reset()
    {
        // The seed applies to the first reset only, as in Gymnasium: later episodes continue the seeded generator.
        var (obs, info) = env.Reset(seeded ? null : seed);
        seeded = true;
        episode++;
        return new(clock.Now, index++, episode, ValueCopy.Copy(obs), default, 0, false, false, true, info);
    }

    public Transition<TObs, TAction> Step(TAction action)
    {
        var r = env.Step(action);
        return new(clock.Now, index++, episode, ValueCopy.Copy(r.Observation), ValueCopy.Copy(action), r.Reward, r.Terminated, r.Truncated, false, r.Info);
    }
}

/// <summary>
/// An env driven by a clock: every <c>period</c> it steps with the action the agent posted to <see cref="Actions"/>
/// since the previous tick, or, when none came in time, with the last action (or the default action when
/// <c>reuseLastAction</c> is false or no action came yet). Ticks without a fresh action count as late in
/// <see cref="Counters"/>. One subscriber at a time: the stream owns the env while subscribed.
/// </summary>
public sealed class ClockedEnvStream<TObs, TAction> : IObservable<Transition<TObs, TAction>>
{
    private readonly IEnv<TObs, TAction> env;
    private readonly TimeSpan period;
    private readonly IScheduler scheduler;
    private readonly TAction defaultAction;
    private readonly bool reuseLastAction;
    private readonly int? seed;
    private readonly object gate = new();
    private TAction lastAction;
    private TAction? pendingAction;
    private bool hasPending, subscribed;
    private long received, delivered, dropped, late;

    internal ClockedEnvStream(IEnv<TObs, TAction> env, TimeSpan period, IScheduler scheduler, TAction defaultAction, bool reuseLastAction, int? seed)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(scheduler);
        if (period <= TimeSpan.Zero) throw new ArgumentException($"ClockedEnvStream: period must be positive, got {period}.", nameof(period));
        this.env = env;
        this.period = period;
        this.scheduler = scheduler;
        this.defaultAction = defaultAction;
        this.reuseLastAction = reuseLastAction;
        this.seed = seed;
        lastAction = defaultAction;
        Actions = new ActionSlot(this);
    }

    /// <summary>Where the agent posts actions; any thread. Several actions within one tick: the newest wins.</summary>
    public IObserver<TAction> Actions { get; }

    /// <summary>Actions received, delivered (used by a tick), dropped (replaced before a tick) and late ticks.</summary>
    public StreamCounters Counters
    {
        get { lock (gate) return new StreamCounters(received, delivered, dropped, late, hasPending ? 1 : 0, 1); }
    }

    /// <summary>Starts the clock: resets the env, emits its first observation, then one transition per tick.</summary>
    public IDisposable Subscribe(IObserver<Transition<TObs, TAction>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (gate)
        {
            if (subscribed) throw new InvalidOperationException("ClockedEnvStream: already subscribed; the env can drive one subscriber (use Publish() to share).");
            subscribed = true;
        }
        var stepper = new EnvStepper<TObs, TAction>(env, scheduler, seed);
        var ticks = new SerialDisposable();
        bool stopped = false;
        try { observer.OnNext(stepper.Reset()); }
        catch (Exception e) { observer.OnError(e); return Disposable.Create(Release); }
        ticks.Disposable = Observable.Interval(period, scheduler).Subscribe(_ =>
        {
            if (stopped) return;
            var action = NextAction();
            Transition<TObs, TAction> step, reset;
            try
            {
                step = stepper.Step(action);
                observer.OnNext(step);
                if (!step.Done) return;
                reset = stepper.Reset();
            }
            catch (Exception e) { stopped = true; observer.OnError(e); return; }
            observer.OnNext(reset);
        });
        return Disposable.Create(() => { stopped = true; ticks.Dispose(); Release(); });
    }

    private void Release()
    {
        lock (gate) subscribed = false;
    }

    private TAction NextAction()
    {
        lock (gate)
        {
            if (hasPending)
            {
                hasPending = false;
                delivered++;
                lastAction = pendingAction!;
                pendingAction = default;
                return lastAction;
            }
            late++;
            return reuseLastAction ? lastAction : defaultAction;
        }
    }

    private void Post(TAction action)
    {
        lock (gate)
        {
            received++;
            if (hasPending) dropped++;
            pendingAction = ValueCopy.Copy(action);
            hasPending = true;
        }
    }

    private sealed class ActionSlot(ClockedEnvStream<TObs, TAction> owner) : IObserver<TAction>
    {
        public void OnNext(TAction value) => owner.Post(value);

        // The clock does not depend on the agent: when its action stream ends or fails, ticks go on with the last action.
        public void OnError(Exception error) { }

        public void OnCompleted() { }
    }
}
