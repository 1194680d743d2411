namespace RlPlat.Connectors.Streams;

/// <summary>What a <see cref="BackpressureBuffer{T}"/> does when its producer is faster than its consumer.</summary>
public enum BackpressurePolicy
{
    /// <summary>Keep only the newest item (a live sensor: stale readings are worthless).</summary>
    LatestOnly,

    /// <summary>Keep the newest <c>capacity</c> items, dropping the oldest when full.</summary>
    DropOldest,

    /// <summary>Make the producer wait until there is room (a replay: nothing may be lost).</summary>
    Block,
}

/// <summary>Counts of what went through a stream stage; read them at any time from any thread.</summary>
public readonly record struct StreamCounters(long Received, long Delivered, long Dropped, long Late, int Pending, int MaxPending)
{
    /// <summary>Received = Delivered + Dropped + Pending always holds; this checks it (for diagnostics and tests).</summary>
    public bool Balanced => Received == Delivered + Dropped + Pending;
}
