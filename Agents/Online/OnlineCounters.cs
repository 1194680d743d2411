namespace RlPlat.Agents.Online;

/// <summary>
/// The live loop's counters, updated from the acting and learning threads with interlocked operations and read at any
/// time as a consistent-enough <see cref="OnlineCountersSnapshot"/>. Action latency goes to a fixed-size histogram.
/// </summary>
public sealed class OnlineCounters
{
    private long observations, dropped, actions, late, updates, learnerFailures, growths, published, changes;

    /// <summary>Time from a reading being taken to the agent's action being posted.</summary>
    public LatencyHistogram ActionLatency { get; } = new();

    internal void ObservationSeen() => Interlocked.Increment(ref observations);
    internal void SetDropped(long count) => Interlocked.Exchange(ref dropped, count);
    internal void ActionPosted(bool isLate)
    {
        Interlocked.Increment(ref actions);
        if (isLate) Interlocked.Increment(ref late);
    }
    internal void UpdateDone() => Interlocked.Increment(ref updates);
    internal void LearnerFailed() => Interlocked.Increment(ref learnerFailures);
    internal void Grew() => Interlocked.Increment(ref growths);
    internal void Published() => Interlocked.Increment(ref published);
    internal void EnvChanged() => Interlocked.Increment(ref changes);

    /// <summary>The counters now.</summary>
    public OnlineCountersSnapshot Snapshot() => new(
        Interlocked.Read(ref observations), Interlocked.Read(ref dropped), Interlocked.Read(ref actions), Interlocked.Read(ref late),
        Interlocked.Read(ref updates), Interlocked.Read(ref learnerFailures), Interlocked.Read(ref growths), Interlocked.Read(ref published),
        Interlocked.Read(ref changes), ActionLatency.Percentile(0.5), ActionLatency.Percentile(0.95), ActionLatency.Percentile(0.99));
}

/// <summary>The counters of the live loop at one moment.</summary>
/// <param name="Observations">Readings the agent received.</param>
/// <param name="Dropped">Readings the source lost before they reached the agent (sensor dropouts).</param>
/// <param name="Actions">Actions posted (the policy's or the fallback).</param>
/// <param name="Late">Actions that missed the deadline, so the fallback action went out instead.</param>
/// <param name="Updates">Gradient steps done.</param>
/// <param name="LearnerFailures">Exceptions in learning, each followed by a restart from the last good weights.</param>
/// <param name="Growths">Times the network grew.</param>
/// <param name="Published">Policy snapshots published to the actor.</param>
/// <param name="EnvChanges">Changes applied to the environment while running.</param>
/// <param name="LatencyP50">Median action latency.</param>
/// <param name="LatencyP95">95th percentile action latency.</param>
/// <param name="LatencyP99">99th percentile action latency.</param>
public readonly record struct OnlineCountersSnapshot(
    long Observations, long Dropped, long Actions, long Late, long Updates, long LearnerFailures, long Growths, long Published,
    long EnvChanges, TimeSpan LatencyP50, TimeSpan LatencyP95, TimeSpan LatencyP99)
{
    /// <summary>Fraction of actions that met their deadline (1 when none was posted yet).</summary>
    public double DeadlinesMet => Actions == 0 ? 1 : 1 - (double)Late / Actions;
}
