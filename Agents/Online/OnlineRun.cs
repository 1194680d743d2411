using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using RlPlat.Connectors.Plugins;
using RlPlat.Connectors.Streams;
using RlPlat.Environments;

namespace RlPlat.Agents.Online;

/// <summary>
/// An online agent wired to a connector's stream: opens the stream on a clock, builds the learner for the source's
/// spaces, finds the car (for env changes and lap progress) and runs the session in real time or virtual time.
/// </summary>
public sealed class OnlineRun : IDisposable
{
    private readonly Subject<object> relay = new();
    private readonly IObservable<Transition<object, object>> stream;
    private readonly IDisposable relayLink;

    private OnlineRun(IConnector connector, IScheduler clock, Func<AgentSpaces, OnlineLearner> makeLearner, OnlineSessionOptions options)
    {
        IEnv? opened = null;
        stream = connector.OpenStream(new ConnectorContext(clock, relay, env => opened = env));
        Env = opened ?? throw new InvalidOperationException($"OnlineRun: connector '{connector.Name}' did not report the env it streams; online runs need a simulated source such as sensor-stream.");
        Learner = makeLearner(new AgentSpaces(Env.ObservationSpace, Env.ActionSpace));
        Session = new OnlineSession(Learner, clock, options) { Car = CarControls.Find(Env) };
        if (options.Changes is { Planned.Count: > 0 } && Session.Car is null)
            throw new ArgumentException($"OnlineRun: env changes need a CarSensors env, got {Env.UnwrappedEnv.GetType().Name}.");
        relayLink = Session.Actions.Subscribe(relay);
        Clock = clock;
    }

    /// <summary>Opens <paramref name="connector"/>'s stream on <paramref name="clock"/> and builds the agent; call <see cref="Start"/> next.</summary>
    public static OnlineRun Open(IConnector connector, IScheduler clock, Func<AgentSpaces, OnlineLearner> makeLearner, OnlineSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(makeLearner);
        return new OnlineRun(connector, clock, makeLearner, options ?? new OnlineSessionOptions());
    }

    /// <summary>The env the source streams.</summary>
    public IEnv Env { get; }

    /// <summary>The learner.</summary>
    public OnlineLearner Learner { get; }

    /// <summary>The live loop.</summary>
    public OnlineSession Session { get; }

    /// <summary>The stream's clock.</summary>
    public IScheduler Clock { get; }

    /// <summary>Subscribes to the stream and starts learning.</summary>
    public void Start() => Session.Start(stream);

    /// <summary>
    /// Runs for <paramref name="duration"/> of stream time: a <see cref="HistoricalScheduler"/> is advanced (virtual time,
    /// as fast as the CPU goes), any other clock is waited on in real time. Returns early on cancellation or when the
    /// stream ends; a stream error is rethrown.
    /// </summary>
    public void RunFor(TimeSpan duration, CancellationToken cancel = default)
    {
        var slice = TimeSpan.FromSeconds(1);
        var end = Clock.Now + duration;
        while (Clock.Now < end && !cancel.IsCancellationRequested && !Session.StreamEnded)
        {
            var step = end - Clock.Now < slice ? end - Clock.Now : slice;
            if (Clock is HistoricalScheduler virtualClock) virtualClock.AdvanceBy(step);
            else cancel.WaitHandle.WaitOne(step);
        }
        if (Session.StreamError is { } error) throw new InvalidOperationException($"OnlineRun: the stream failed: {error.Message}", error);
    }

    /// <summary>Stops the stream and the learner; returns the final counters.</summary>
    public OnlineCountersSnapshot Stop() => Session.Stop();

    /// <inheritdoc/>
    public void Dispose()
    {
        Session.Dispose();
        relayLink.Dispose();
        relay.Dispose();
        Env.Close();
    }
}
