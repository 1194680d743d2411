using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using RlPlat.Connectors.Streams;
using RlPlat.Engine;

namespace RlPlat.Agents.Online;

/// <summary>Where the learner runs.</summary>
public enum LearnerMode
{
    /// <summary>A dedicated thread that learns as fast as the data allows (real time).</summary>
    Thread,

    /// <summary>Periodic work on the session's scheduler (virtual time: deterministic and as fast as the CPU goes).</summary>
    Scheduler,
}

/// <summary>Settings of an <see cref="OnlineSession"/>.</summary>
public sealed record OnlineSessionOptions
{
    /// <summary>Longest time from a reading being taken to its action being posted; later, the fallback goes out instead.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The action posted on a missed deadline (floats as the agent writes them); null: zeros, or the first discrete action.</summary>
    public float[]? FallbackAction { get; init; }

    /// <summary>Where learning runs.</summary>
    public LearnerMode Learner { get; init; } = LearnerMode.Thread;

    /// <summary>Scheduler mode: how often the learner catches up with the stream.</summary>
    public TimeSpan LearnerPeriod { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Stream time per metrics window (<see cref="OnlineSession.WindowClosed"/>).</summary>
    public TimeSpan WindowLength { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Seeds the actor's exploration.</summary>
    public int ActorSeed { get; init; }

    /// <summary>Learn while acting; false only acts (exploring as the learner's policy does), e.g. for a baseline.</summary>
    public bool Learn { get; init; } = true;

    /// <summary>Changes of the car env while running; needs <see cref="OnlineSession.Car"/>.</summary>
    public EnvChangeSchedule? Changes { get; init; }

    /// <summary>Checks the values, naming the bad one.</summary>
    public void Validate()
    {
        if (Deadline <= TimeSpan.Zero) throw new ArgumentException($"online session: deadline must be positive, got {Deadline}.");
        if (LearnerPeriod <= TimeSpan.Zero) throw new ArgumentException($"online session: learner period must be positive, got {LearnerPeriod}.");
        if (WindowLength <= TimeSpan.Zero) throw new ArgumentException($"online session: window length must be positive, got {WindowLength}.");
        if (!Enum.IsDefined(Learner)) throw new ArgumentException($"online session: unknown learner mode {(int)Learner}.");
    }
}

/// <summary>What happened in one window of stream time.</summary>
/// <param name="StreamTime">Stream time at the end of the window, since the start.</param>
/// <param name="Steps">Stream steps (transitions) so far.</param>
/// <param name="Episodes">Episodes finished so far.</param>
/// <param name="RewardSum">Reward collected in the window.</param>
/// <param name="Laps">Car progress (laps) made in the window; NaN without a car.</param>
/// <param name="LapsPerMinute">Laps per minute of stream time in the window; NaN without a car.</param>
/// <param name="MeanEpisodeReturn">Mean return of the episodes finished in the window; NaN when none finished.</param>
/// <param name="Shape">The published policy network's shape.</param>
/// <param name="Counters">The counters at the end of the window.</param>
public sealed record OnlineWindow(TimeSpan StreamTime, long Steps, long Episodes, double RewardSum, double Laps, double LapsPerMinute, double MeanEpisodeReturn, string Shape, OnlineCountersSnapshot Counters);

/// <summary>
/// The live loop of an online agent on a stream of transitions: on each reading (on the stream's thread) it applies
/// due env changes, stores the transition, asks the published policy for an action and posts it to
/// <see cref="Actions"/> (the fallback when the deadline was missed), timing every action into the latency histogram.
/// The learner runs on its own thread or as periodic work on a scheduler and swaps in new policy snapshots; acting
/// never waits for a gradient step. Per step: no allocation on the agent's side. On a virtual clock, latency is the
/// stream-time delivery delay only (computing takes no virtual time), so a seeded run repeats exactly.
/// </summary>
public sealed class OnlineSession : IDisposable
{
    private readonly OnlineLearner learner;
    private readonly IScheduler clock;
    private readonly OnlineSessionOptions options;
    private readonly Subject<object> actions = new();
    private readonly float[] action, fallback, previousObservation, executed;
    private readonly object[] boxedDiscrete;
    private readonly Generator actorRng;
    private readonly Action<EnvChange> changed;
    private readonly bool virtualTime;
    private readonly int obsSize, actSize;
    private IDisposable? subscription, learnerWork;
    private Thread? learnerThread;
    private volatile bool stopping;
    private bool hasPrevious, started;
    private long lastIndex = -1, steps, episodes, dropped;
    private DateTimeOffset start, windowStart;
    private double windowReward, windowLaps, lastProgress, episodeReturn, windowReturns;
    private long windowEpisodes;
    private Exception? streamError;

    /// <summary>A session for <paramref name="learner"/>, timed on <paramref name="clock"/> (the stream's scheduler).</summary>
    public OnlineSession(OnlineLearner learner, IScheduler clock, OnlineSessionOptions? options = null)
    {
        this.learner = learner ?? throw new ArgumentNullException(nameof(learner));
        this.clock = clock ?? throw new ArgumentNullException(nameof(clock));
        this.options = options ?? new OnlineSessionOptions();
        this.options.Validate();
        var spaces = learner.Spaces;
        obsSize = spaces.ObservationSize;
        actSize = spaces.ActionSize;
        action = new float[actSize];
        executed = new float[actSize];
        previousObservation = new float[obsSize];
        fallback = this.options.FallbackAction is { } f
            ? (f.Length == actSize ? (float[])f.Clone() : throw new ArgumentException($"online session: fallback action has {f.Length} values, the action space {spaces.ActionSpace} takes {actSize}."))
            : new float[actSize];
        if (this.options.FallbackAction is null && spaces.IsDiscrete) fallback[0] = spaces.ActionStart;
        // Discrete actions go out boxed; one box per action, made once.
        boxedDiscrete = new object[spaces.IsDiscrete ? spaces.ActionCount : 0];
        for (int i = 0; i < boxedDiscrete.Length; i++) boxedDiscrete[i] = spaces.ActionStart + i;
        actorRng = new Generator(this.options.ActorSeed);
        changed = Changed; // made once: a method group converted per reading would allocate
        virtualTime = clock is VirtualTimeSchedulerBase<DateTimeOffset, TimeSpan>;
    }

    /// <summary>The agent's actions: hand this to the source (a connector's <c>ConnectorContext.Actions</c>).</summary>
    public IObservable<object> Actions => actions;

    /// <summary>The learner.</summary>
    public OnlineLearner Learner => learner;

    /// <summary>The car's controls, for env changes and lap progress; null for other sources.</summary>
    public CarControls? Car { get; set; }

    /// <summary>Counters (shared with the learner).</summary>
    public OnlineCounters Counters => learner.Counters;

    /// <summary>Stream steps (transitions) seen.</summary>
    public long Steps => Interlocked.Read(ref steps);

    /// <summary>Raised on the stream's thread at the end of every window of stream time.</summary>
    public event Action<OnlineWindow>? WindowClosed;

    /// <summary>Raised (stream or learner thread) when the env changed.</summary>
    public event Action<EnvChange>? EnvChanged;

    /// <summary>The error that ended the stream, if any.</summary>
    public Exception? StreamError => streamError;

    /// <summary>True once the stream completed or failed.</summary>
    public bool StreamEnded { get; private set; }

    /// <summary>Subscribes to <paramref name="stream"/> and starts the learner.</summary>
    public void Start(IObservable<Transition<object, object>> stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (started) throw new InvalidOperationException("OnlineSession.Start: already started; a session runs one stream.");
        started = true;
        if (options.Learn)
        {
            if (options.Learner == LearnerMode.Thread)
            {
                learnerThread = new Thread(LearnLoop) { IsBackground = true, Name = $"{learner.Algorithm} learner" };
                learnerThread.Start();
            }
            else learnerWork = clock.SchedulePeriodic(options.LearnerPeriod, CatchUp);
        }
        subscription = stream.Subscribe(OnReading, e => { streamError = e; StreamEnded = true; }, () => StreamEnded = true);
    }

    private void LearnLoop()
    {
        while (!stopping)
        {
            // After a failure, back off so that a learner failing for good does not take a core from the actor.
            var result = learner.WantsUpdate() ? learner.Update() : UpdateResult.NoData;
            if (result != UpdateResult.Done) Thread.Sleep(result == UpdateResult.Failed ? 50 : 1);
        }
    }

    private void CatchUp()
    {
        // A failure ends this round: the next one retries from the last good state.
        while (!stopping && learner.WantsUpdate() && learner.Update() == UpdateResult.Done) { }
    }

    private void OnReading(Transition<object, object> t)
    {
        long entry = Stopwatch.GetTimestamp();
        var lag = clock.Now - t.Timestamp;
        if (lastIndex < 0) start = windowStart = t.Timestamp;
        // The stream numbers every env event: a gap is readings the source lost.
        bool contiguous = lastIndex >= 0 && t.Index == lastIndex + 1;
        if (lastIndex >= 0 && t.Index > lastIndex + 1) Interlocked.Add(ref dropped, t.Index - lastIndex - 1);
        lastIndex = t.Index;
        Counters.ObservationSeen();
        Counters.SetDropped(Interlocked.Read(ref dropped));
        if (options.Changes is { } changes && Car is { } car) changes.ApplyDue(t.Timestamp - start, car, changed);
        var obs = (float[])t.Observation;

        if (!t.IsReset)
        {
            Interlocked.Increment(ref steps);
            windowReward += t.Reward;
            episodeReturn += t.Reward;
            if (contiguous && hasPrevious && options.Learn && ExecutedAction(t.Action))
                learner.Replay.Add(previousObservation, executed, (float)t.Reward, obs, t.Terminated, (float)learner.Options.Gamma);
            if (Car is { } c) { windowLaps += c.Progress - lastProgress; lastProgress = c.Progress; }
            if (t.Done)
            {
                episodes++;
                windowEpisodes++;
                windowReturns += episodeReturn;
                episodeReturn = 0;
            }
        }
        else
        {
            episodeReturn = 0;
            lastProgress = Car?.Progress ?? 0;
        }
        if (t.Done)
        {
            // The reset that follows gets the next action.
            hasPrevious = false;
            CloseWindowIfDue(t.Timestamp);
            return;
        }

        learner.Act(learner.Policy, obs, action, actorRng, Steps, explore: true);
        // In virtual time computing takes no stream time (and real pauses must not change a seeded run's actions).
        var latency = virtualTime ? lag : lag + Stopwatch.GetElapsedTime(entry);
        bool late = latency > options.Deadline;
        var chosen = late ? fallback : action;
        Counters.ActionLatency.Record(latency);
        Counters.ActionPosted(late);
        actions.OnNext(boxedDiscrete.Length > 0 ? boxedDiscrete[(int)chosen[0] - learner.Spaces.ActionStart] : chosen);
        obs.AsSpan().CopyTo(previousObservation);
        hasPrevious = true;
        // After the action is out: a window's listeners may write files.
        CloseWindowIfDue(t.Timestamp);
    }

    private void CloseWindowIfDue(DateTimeOffset now)
    {
        if (now - windowStart >= options.WindowLength) CloseWindow(now);
    }

    // The action the env actually applied (the stream reports it): the policy's, the fallback, or a reused one.
    private bool ExecutedAction(object? applied)
    {
        switch (applied)
        {
            case int i: executed[0] = i; return true;
            case long l: executed[0] = l; return true;
            case float[] f when f.Length == actSize: f.AsSpan().CopyTo(executed); return true;
            case double[] d when d.Length == actSize: for (int k = 0; k < actSize; k++) executed[k] = (float)d[k]; return true;
            default: return false;
        }
    }

    private void Changed(EnvChange change)
    {
        Counters.EnvChanged();
        EnvChanged?.Invoke(change);
    }

    private void CloseWindow(DateTimeOffset now)
    {
        double minutes = (now - windowStart).TotalMinutes;
        var window = new OnlineWindow(now - start, Steps, episodes, windowReward,
            Car is null ? double.NaN : windowLaps, Car is null ? double.NaN : windowLaps / minutes,
            windowEpisodes > 0 ? windowReturns / windowEpisodes : double.NaN, learner.Policy.Network.Shape, Counters.Snapshot());
        windowStart = now;
        windowReward = windowLaps = windowReturns = 0;
        windowEpisodes = 0;
        WindowClosed?.Invoke(window);
    }

    /// <summary>Stops the stream and the learner (waits for the current gradient step); returns the final counters.</summary>
    public OnlineCountersSnapshot Stop()
    {
        stopping = true;
        subscription?.Dispose();
        subscription = null;
        learnerWork?.Dispose();
        learnerThread?.Join();
        learnerThread = null;
        return Counters.Snapshot();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        actions.Dispose();
    }
}
