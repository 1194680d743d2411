namespace RlPlat.Engine;

// Deterministic release (Tensor.Dispose): the memory goes back at once, a pooled array to the StoragePool (still hot in
// the cache for the next allocation of its size), a device block to its cache. Without Dispose the GC does the same,
// later. Every read goes through the storage, so a released one throws instead of reading memory someone else now owns.
public sealed partial class Storage
{
    /// <summary>The pool's hold on <see cref="data"/> when the pool allocated it; null for user arrays, small arrays, device and lazy storage.</summary>
    internal StoragePool.Recycler? recycler;

    private int released;

    /// <summary>True once the memory was given back (<see cref="Tensor.Dispose"/> on a tensor over it); reading it then throws.</summary>
    public bool IsReleased => Volatile.Read(ref released) != 0;

    /// <summary>Gives the memory back (idempotent; thread-safe).</summary>
    internal void Release()
    {
        if (Interlocked.Exchange(ref released, 1) != 0) return;
        // A change of version: a pending lazy op that captured the elements and a backward that saved them both check it.
        Version++;
        pending = null;
        if (gpu != null)
        {
            gpu.Dispose();
            return;
        }

        data = null;
        var r = recycler;
        recycler = null;
        if (r != null) StoragePool.Return(r);
    }

    private ObjectDisposedException ReleasedError() => new("Tensor",
        "this tensor's memory was released by Tensor.Dispose (on it or on a tensor sharing its storage, such as a view or its base); dispose a tensor only after the last use of it and of its views");
}
