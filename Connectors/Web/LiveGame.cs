using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Streams;
using RlPlat.Environments;

namespace RlPlat.Connectors.Web;

/// <summary>
/// A web game in live mode as an Rx stream: the page keeps its own time and pushes every frame; the stream emits a
/// reset event per episode and one <see cref="Transition{TObs,TAction}"/> per frame, timestamped on the given clock.
/// Actions posted to <see cref="Actions"/> go to the page at once and apply from its next frame on (the page reuses
/// the last one while the agent is silent). A lost page ends the episode with a truncated transition carrying
/// <c>info["web_disconnect"]</c>; the stream then waits for the page to come back and goes on. Emission happens on
/// the socket's receive loop: put a <see cref="BackpressureBuffer{T}"/> in front of a slow consumer (the connector does).
/// </summary>
public sealed class LiveGame : IObservable<Transition<object, object>>, IDisposable
{
    private readonly PageSlot slot;
    private readonly WebGameOptions options;
    private readonly IScheduler clock;
    private readonly FrameBuilder actionFrame = new();
    private readonly Lock gate = new();
    private PageSession? session;
    private object? lastAction;
    private object lastObservation = null!;
    private long index, episode = -1;
    private int failuresInARow;
    private bool subscribed, disposed;

    private LiveGame(PageSlot slot, WebGameOptions options, IScheduler clock, PageSession first)
    {
        this.slot = slot;
        this.options = options;
        this.clock = clock;
        session = first;
        ObservationSpace = first.ObservationSpace;
        ActionSpace = first.ActionSpace;
        Actions = new ActionSink(this);
    }

    /// <summary>Waits for the page in <paramref name="slot"/> and runs the handshake; the game starts on subscribe.</summary>
    public static LiveGame Open(PageSlot slot, WebGameOptions options, IScheduler? clock = null)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode != WebMode.Live) throw new ArgumentException($"LiveGame plays live pages; mode is {options.Mode} (use WebEnv for lockstep).", nameof(options));
        try { return new LiveGame(slot, options, clock ?? Scheduler.Default, PageSession.Open(slot.Acquire(options.ConnectTimeout), options)); }
        catch (PageLostException e) { throw new InvalidOperationException($"web: the page in slot {slot.Index} failed its handshake: {e.Message}", e); }
    }

    /// <summary>The page's observation space.</summary>
    public Space ObservationSpace { get; }

    /// <summary>The page's action space.</summary>
    public Space ActionSpace { get; }

    /// <summary>Where the agent posts actions (any thread); values outside the action space are refused with an ArgumentException.</summary>
    public IObserver<object> Actions { get; }

    /// <summary>Pages lost while streaming.</summary>
    public int PagesLost { get; private set; }

    /// <summary>The slot (tab) the game plays in.</summary>
    public PageSlot Slot => slot;

    /// <summary>Starts the game (reset with the configured seed); one subscriber at a time.</summary>
    public IDisposable Subscribe(IObserver<Transition<object, object>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (subscribed) throw new InvalidOperationException("LiveGame: already subscribed; the page drives one subscriber (use Publish() to share).");
            subscribed = true;
        }
        var stop = new CancellationTokenSource();
        var pump = Task.Factory.StartNew(() => Pump(observer, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return Disposable.Create(() =>
        {
            stop.Cancel();
            lock (gate) { session?.Connection.Close("the stream was disposed"); session = null; }
            pump.Wait(TimeSpan.FromSeconds(5));
            stop.Dispose();
            lock (gate) subscribed = false;
        });
    }

    // One page connection after another: reset, stream its pushes until it ends, report the loss, recover.
    private void Pump(IObserver<Transition<object, object>> observer, CancellationToken stop)
    {
        int? seed = options.Seed;
        while (!stop.IsCancellationRequested)
        {
            PageSession current;
            try
            {
                PageSession? held;
                lock (gate) held = session;
                // Waiting for a page can take seconds: not under the lock, so actions are never held up by it.
                current = held ?? PageSession.Open(slot.Acquire(options.ConnectTimeout), options);
                lock (gate) session = current;
                var (obs, info) = current.Reset(seed);
                seed = null;
                lock (gate) Emit(observer, obs, 0, false, false, true, info);
                current.Connection.SetPushHandler(message => OnPush(observer, current, message));
                current.Connection.Ended.Wait(stop);
                throw new PageLostException(current.Connection.EndReason ?? "the connection ended");
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (PageLostException e)
            {
                if (stop.IsCancellationRequested) return;
                lock (gate)
                {
                    session = null;
                    PagesLost++;
                    if (episode >= 0) Emit(observer, lastObservation, 0, false, true, false, new Info().With("web_disconnect", e.Message));
                }
                if (++failuresInARow > options.MaxFailures)
                {
                    observer.OnError(new InvalidOperationException($"web: slot {slot.Index} lost its page {failuresInARow} times in a row without a frame; last: {e.Message}", e));
                    return;
                }
            }
            catch (TimeoutException e)
            {
                observer.OnError(e);
                return;
            }
        }
    }

    private void OnPush(IObserver<Transition<object, object>> observer, PageSession from, byte[] message)
    {
        (object Observation, double Reward, bool Terminated, bool Truncated, bool IsReset, Info Info) frame;
        try { frame = from.ReadPush(message); }
        catch (PageLostException) { return; } // rejected: the connection has ended and the pump reports why
        lock (gate)
        {
            if (session != from) return;
            failuresInARow = 0;
            Emit(observer, frame.Observation, frame.Reward, frame.Terminated, frame.Truncated, frame.IsReset, frame.Info);
        }
    }

    private void Emit(IObserver<Transition<object, object>> observer, object obs, double reward, bool terminated, bool truncated, bool isReset, Info info)
    {
        if (isReset) episode++;
        lastObservation = obs;
        observer.OnNext(new Transition<object, object>(clock.Now, index++, episode, obs, isReset ? null : lastAction, reward, terminated, truncated, isReset, info));
    }

    private void Post(object action)
    {
        if (!ActionSpace.ContainsObject(action)) throw new ArgumentException($"web: action {action} is not in the action space {ActionSpace}.", nameof(action));
        lock (gate)
        {
            lastAction = action;
            if (session is not { } current) return; // between pages: the next page starts from its default action
            try { current.Act(actionFrame, action); }
            catch (PageLostException) { /* the pump notices the loss and reports it */ }
        }
    }

    /// <summary>Ends the session and gives the tab back.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            session?.Connection.Close("the stream was disposed");
            session = null;
        }
        slot.Dispose();
    }

    private sealed class ActionSink(LiveGame owner) : IObserver<object>
    {
        public void OnNext(object value) => owner.Post(value);

        // The page keeps its own time: when the agent's actions end, it goes on with the last one.
        public void OnError(Exception error) { }

        public void OnCompleted() { }
    }
}
