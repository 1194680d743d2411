using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RlPlat.Environments;

namespace RlPlat.Connectors.Streams;

/// <summary>Options of a <see cref="StreamEnv{TObs,TAction}"/>.</summary>
public sealed record StreamEnvOptions
{
    /// <summary>How long Reset/Step wait (real time) for an observation before throwing <see cref="TimeoutException"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Items held between the source and the env; the oldest are dropped beyond it.</summary>
    public int Capacity { get; init; } = 16;

    /// <summary>Called on Reset with the seed, for sources that can restart (for example a remote env); may be null.</summary>
    public Action<int?>? OnReset { get; init; }

    /// <summary>Clock for the buffer's arrival times.</summary>
    public IScheduler? Clock { get; init; }
}

/// <summary>
/// Stream -> step env: an observation stream plus an action sink seen as an <see cref="IEnv{TObs,TAction}"/>, so
/// any step-based agent can train on a live source. <c>Step</c> discards readings that arrived before it (they
/// predate the action), sends the action, and returns the next transition; <c>Reset</c> returns the newest held
/// reading (waiting for one). A completed source ends the episode as truncated, with info "stream_completed".
/// </summary>
public sealed class StreamEnv<TObs, TAction> : ConnectorEnv<TObs, TAction>
{
    private readonly IObserver<TAction> actions;
    private readonly BackpressureBuffer<Transition<TObs, TAction>> buffer;
    private readonly IDisposable subscription;
    private readonly StreamEnvOptions options;
    private TObs lastObservation = default!;
    private bool closed;

    /// <summary>Attaches to <paramref name="source"/> at once; readings that arrive before the first Reset are held.</summary>
    public StreamEnv(IObservable<Transition<TObs, TAction>> source, IObserver<TAction> actions, Space observationSpace, Space actionSpace, StreamEnvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(actions);
        ObservationSpace = observationSpace ?? throw new ArgumentNullException(nameof(observationSpace));
        ActionSpace = actionSpace ?? throw new ArgumentNullException(nameof(actionSpace));
        this.options = options ?? new StreamEnvOptions();
        if (this.options.Timeout <= TimeSpan.Zero) throw new ArgumentException($"StreamEnv: Timeout must be positive, got {this.options.Timeout}.", nameof(options));
        this.actions = actions;
        buffer = new BackpressureBuffer<Transition<TObs, TAction>>(BackpressurePolicy.DropOldest, this.options.Capacity, this.options.Clock);
        subscription = buffer.Attach(source);
    }

    /// <inheritdoc/>
    public override Space ObservationSpace { get; }

    /// <inheritdoc/>
    public override Space ActionSpace { get; }

    /// <summary>Readings received, delivered to the agent, dropped as stale or overflow.</summary>
    public StreamCounters Counters => buffer.Counters;

    /// <inheritdoc/>
    public override (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        ThrowIfClosed();
        this.options.OnReset?.Invoke(seed);
        var item = Next("Reset");
        while (buffer.TryTake(out var newer)) item = newer;
        lastObservation = item.Observation;
        return (item.Observation, item.Info);
    }

    /// <inheritdoc/>
    public override StepResult<TObs> Step(TAction action)
    {
        ThrowIfClosed();
        buffer.Clear();
        actions.OnNext(action);
        if (!buffer.TryTake(out var item, options.Timeout))
        {
            if (!buffer.IsCompleted) throw new TimeoutException($"StreamEnv: no observation within {options.Timeout.TotalSeconds:0.###} s after the action.");
            return new StepResult<TObs>(lastObservation, 0, false, true, new Info().With("stream_completed", true));
        }
        lastObservation = item.Observation;
        return new StepResult<TObs>(item.Observation, item.Reward, item.Terminated, item.Truncated, item.Info);
    }

    private Transition<TObs, TAction> Next(string what)
    {
        if (buffer.TryTake(out var item, options.Timeout)) return item;
        if (buffer.IsCompleted) throw new InvalidOperationException($"StreamEnv.{what}: the source completed; there are no more observations.");
        throw new TimeoutException($"StreamEnv.{what}: no observation within {options.Timeout.TotalSeconds:0.###} s.");
    }

    private void ThrowIfClosed()
    {
        if (closed) throw new InvalidOperationException("StreamEnv: used after Close.");
    }

    /// <inheritdoc/>
    public override void Close()
    {
        if (closed) return;
        closed = true;
        subscription.Dispose();
        buffer.Dispose();
    }
}

/// <summary>Factories for <see cref="StreamEnv{TObs,TAction}"/>.</summary>
public static class StreamEnv
{
    /// <summary>
    /// An env over a plain observation stream (a sensor): every reading is a step with the reward given by
    /// <paramref name="reward"/> (0 when null), never terminal.
    /// </summary>
    public static StreamEnv<TObs, TAction> FromObservations<TObs, TAction>(
        IObservable<TObs> observations, IObserver<TAction> actions, Space observationSpace, Space actionSpace,
        Func<TObs, double>? reward = null, StreamEnvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var clock = options?.Clock ?? Scheduler.Default;
        var transitions = observations.Select((obs, i) =>
        {
            var kept = ValueCopy.Copy(obs);
            return new Transition<TObs, TAction>(clock.Now, i, 0, kept, default, reward?.Invoke(kept) ?? 0, false, false, i == 0, Info.Empty);
        });
        return new StreamEnv<TObs, TAction>(transitions, actions, observationSpace, actionSpace, options);
    }
}
