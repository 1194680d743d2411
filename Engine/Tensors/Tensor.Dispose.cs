namespace RlPlat.Engine;

/// <summary>
/// Deterministic release, .NET's counterpart of PyTorch freeing a tensor when its last reference goes. Without it the GC
/// finds a dead tensor's memory in its next full collection; until then a loop that allocates a large result each step
/// cycles through many arrays, each cold in the cache. <c>using var y = a + b;</c> gives the memory back when <c>y</c>
/// goes out of scope, so the next allocation of the size gets the same, still cached, array.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    /// <summary>True once this tensor's memory was released (<see cref="Dispose"/> on it or on a tensor sharing its storage).</summary>
    public bool IsDisposed => storage.IsReleased;

    /// <summary>
    /// Releases this tensor's memory now (idempotent): to the storage pool, or to the device's cache. The memory is its
    /// storage, which views share: afterwards this tensor, its views and its base all throw
    /// <see cref="ObjectDisposedException"/> when read or written, and so do a backward pass or a pending lazy op that
    /// saved it. So dispose what you own (an op's result) after its last use, views included. Spans, arrays and
    /// <c>Memory</c> taken from the tensor (<see cref="AsSpan{T}"/>, <see cref="Storage.Data"/>) must not be used after it.
    /// </summary>
    public void Dispose() => storage.Release();
}
