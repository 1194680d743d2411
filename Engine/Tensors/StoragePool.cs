using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace RlPlat.Engine;

/// <summary>
/// Recycles the large arrays behind tensor storage. A new array of 85,000 bytes or more lives on .NET's large-object heap,
/// whose freed memory the GC hands back to the OS; the next one is page-faulted in on first touch (about 10 ms per 4 MB
/// on the development VMs, where the add itself takes 0.1 ms). The pool keeps dead arrays of exactly the same dtype and
/// length and hands them out again.
/// </summary>
/// <remarks>
/// Safety: an array comes back only when the GC has found it unreachable. Each pooled array has a finalizable
/// <see cref="Recycler"/> that only a <see cref="DependentHandle"/> keeps alive, with the array as the handle's primary:
/// the recycler is finalized in the same collection that finds the array itself unreachable, not when its
/// <see cref="Storage"/> dies. So a view, a span or <c>Memory</c> over the array, a kernel's local, a user's copy of
/// <see cref="Storage.Data"/>: anything that still reaches the array keeps it out of the pool. Arrays the user owns
/// (<see cref="Tensor.FromArray{T}(T[], int[])"/>) are never pooled; only arrays this class allocated come back.
/// The one case it cannot see: another object's finalizer that reads a tensor it referenced after both died.
/// </remarks>
public static class StoragePool
{
    /// <summary>Arrays of at least this many bytes are pooled: from this size .NET puts them on the large-object heap.</summary>
    public const int MinBytes = 85_000;

    /// <summary>Bytes of pooled-size arrays handed out since the last full collection after which emptying a size's pool (or missing) induces one.</summary>
    public const long CollectAfterBytes = 64L << 20;

    private static readonly object Gate = new();
    private static readonly Dictionary<(DType, int), Stack<Recycler>> Free = [];
    private static long maxBytes = ReadMaxBytes();
    private static long pooledBytes;
    private static long handedOutSinceGen2;
    private static int lastGen2Count;
    private static long collectedAt = long.MinValue / 2;

    // Induce the collection while this many arrays of the size are still waiting, so they cover the finalizer's delay.
    private const int LowWater = 4;

    // How long after an induced collection a miss waits for the finalizer to return arrays: a fresh 4 MB array costs
    // 10-45 ms on these VMs (the host backs the pages on first touch), and on a loaded machine the finalizer thread can
    // wait several ms for a core.
    private static readonly long ReturnWaitTicks = Stopwatch.Frequency / 100;

    /// <summary>
    /// The most bytes kept in the pool; an array that would go above it is left to the GC. 0 turns pooling off.
    /// Defaults to <c>RLPLAT_STORAGE_POOL_MB</c> megabytes, or 1/8 of the memory the GC may use, at most 512 MB.
    /// </summary>
    public static long MaxBytes
    {
        get => Volatile.Read(ref maxBytes);
        set
        {
            if (value < 0) throw new ArgumentException($"StoragePool.MaxBytes must be >= 0, got {value}");
            Volatile.Write(ref maxBytes, value);
            if (value < PooledBytes) Clear();
        }
    }

    /// <summary>Bytes held by arrays now waiting in the pool.</summary>
    public static long PooledBytes
    {
        get { lock (Gate) return pooledBytes; }
    }

    /// <summary>Allocations the pool answered with a recycled array (since the process started).</summary>
    public static long Reused { get; private set; }

    /// <summary>Drops every waiting array (the GC reclaims them); arrays in use still come back when they die.</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            foreach (var stack in Free.Values)
                while (stack.Count > 0) stack.Pop().Release();
            Free.Clear();
            pooledBytes = 0;
        }
    }

    /// <summary>An array of <paramref name="length"/> elements of <paramref name="dtype"/>, zeroed when <paramref name="zeroed"/>.</summary>
    /// <remarks><paramref name="recycler"/> is the pool's hold on a pooled array (null for one it does not pool), for <see cref="Return"/>.</remarks>
    internal static Array Allocate(DType dtype, int length, bool zeroed, out Recycler? recycler)
    {
        recycler = null;
        long bytes = (long)length * dtype.SizeOf();
        if (bytes < MinBytes || MaxBytes == 0) return New(dtype, length, zeroed);
        var key = (dtype, length);
        Recycler? r;
        bool collect;
        lock (Gate)
        {
            r = Take(key, bytes, out int left);

            // Dead arrays only come back after a full collection, and the pool itself makes those rare: the arrays it
            // holds are live large objects, so the GC raises its budget and waits for hundreds of MB before the next one.
            // Meanwhile every miss faults a fresh array in (10-45 ms per 4 MB on these VMs, against 0.1-1 ms for a
            // full collection of a small heap). So once CollectAfterBytes have been handed out since the last full
            // collection, taking one of the last LowWater arrays of a size (or missing) induces one; the finalizer thread
            // returns the dead arrays while the arrays still left answer the next allocations.
            int gen2 = GC.CollectionCount(2);
            if (gen2 != lastGen2Count) { lastGen2Count = gen2; handedOutSinceGen2 = 0; }
            handedOutSinceGen2 += bytes;
            collect = (r is null || left < LowWater) && handedOutSinceGen2 >= Math.Min(CollectAfterBytes, MaxBytes / 2);
            if (collect) handedOutSinceGen2 = 0;
        }

        if (collect)
        {
            GC.Collect();
            // Only a collection that queued finalizers can be returning arrays; after one that found nothing, misses do not wait.
            if (GC.GetGCMemoryInfo(GCKind.FullBlocking).FinalizationPendingCount > 0) Volatile.Write(ref collectedAt, Stopwatch.GetTimestamp());
        }

        // A miss just after a collection usually means the finalizer thread has not returned the arrays it found dead
        // yet (both cores busy with a split kernel, or the machine loaded): waiting for them beats faulting in fresh memory.
        if (r is null && Stopwatch.GetTimestamp() - Volatile.Read(ref collectedAt) < ReturnWaitTicks) r = AwaitReturn(key, bytes);
        if (r is null)
        {
            recycler = new Recycler(New(dtype, length, zeroed), dtype);
            return recycler.Array;
        }

        // Its finalizer ran (or was suppressed by Return) when it was pooled; arm it again for this life of the array.
        GC.ReRegisterForFinalize(r);
        if (zeroed) Array.Clear(r.Array);
        recycler = r;
        return r.Array;
    }

    /// <summary>The most recently returned array of the key (the likeliest to be still in cache), or null; under <see cref="Gate"/>.</summary>
    private static Recycler? Take((DType, int) key, long bytes, out int left)
    {
        left = 0;
        if (!Free.TryGetValue(key, out var stack) || stack.Count == 0) return null;
        var r = stack.Pop();
        left = stack.Count;
        pooledBytes -= bytes;
        Reused++;
        return r;
    }

    /// <summary>Waits up to <see cref="ReturnWaitTicks"/> after the last induced collection for an array of the key to come back.</summary>
    private static Recycler? AwaitReturn((DType, int) key, long bytes)
    {
        lock (Gate)
        {
            while (true)
            {
                var r = Take(key, bytes, out _);
                if (r != null) return r;
                long wait = Volatile.Read(ref collectedAt) + ReturnWaitTicks - Stopwatch.GetTimestamp();
                if (wait <= 0) break;
                Monitor.Wait(Gate, TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            // Nothing of this size was dead: do not make the misses that follow wait as well.
            collectedAt = long.MinValue / 2;
            return null;
        }
    }

    private static Array New(DType dtype, int length, bool zeroed) => dtype switch
    {
        DType.Float32 => length == 0 ? Array.Empty<float>() : zeroed ? new float[length] : GC.AllocateUninitializedArray<float>(length),
        DType.Float64 => zeroed ? new double[length] : GC.AllocateUninitializedArray<double>(length),
        DType.Int32 => zeroed ? new int[length] : GC.AllocateUninitializedArray<int>(length),
        DType.Int64 => zeroed ? new long[length] : GC.AllocateUninitializedArray<long>(length),
        DType.Bool => zeroed ? new bool[length] : GC.AllocateUninitializedArray<bool>(length),
        DType.UInt8 => zeroed ? new byte[length] : GC.AllocateUninitializedArray<byte>(length),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>
    /// Takes back an array that its storage gave up explicitly (<see cref="Tensor.Dispose"/>): it is the next one handed
    /// out for its size, while still in the cache. The caller guarantees nothing reads the array any more.
    /// </summary>
    internal static void Return(Recycler r)
    {
        long bytes = (long)r.Array.Length * r.DType.SizeOf();
        lock (Gate)
        {
            // Back before any collection: it no longer counts towards the next induced one.
            handedOutSinceGen2 = Math.Max(0, handedOutSinceGen2 - bytes);
            // A full pool leaves the array to the GC: the recycler's finalizer is still armed and offers it again then.
            // Under the gate, so nobody takes (and re-arms) it before its finalizer is off.
            if (pooledBytes + bytes > MaxBytes) return;
            GC.SuppressFinalize(r);
            Push(r, bytes);
        }
    }

    /// <summary>Called by a recycler's finalizer: keeps its array unless the pool is full.</summary>
    private static bool TryReturn(Recycler r)
    {
        long bytes = (long)r.Array.Length * r.DType.SizeOf();
        lock (Gate)
        {
            if (pooledBytes + bytes > MaxBytes) return false;
            Push(r, bytes);
            return true;
        }
    }

    /// <summary>Puts <paramref name="r"/> on top of its size's stack; under <see cref="Gate"/>.</summary>
    private static void Push(Recycler r, long bytes)
    {
        var key = (r.DType, r.Array.Length);
        if (!Free.TryGetValue(key, out var stack)) Free[key] = stack = new Stack<Recycler>();
        stack.Push(r);
        pooledBytes += bytes;
        Monitor.PulseAll(Gate); // an allocation may be waiting for it (AwaitReturn)
    }

    private static long ReadMaxBytes()
    {
        var text = Environment.GetEnvironmentVariable("RLPLAT_STORAGE_POOL_MB");
        if (string.IsNullOrWhiteSpace(text)) return Math.Min(512L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8);
        if (!long.TryParse(text, out long mb) || mb < 0)
            throw new InvalidOperationException($"RLPLAT_STORAGE_POOL_MB must be a non-negative integer, got '{text}'");
        return mb << 20;
    }

    /// <summary>
    /// Finalized in the collection that finds its array unreachable (the dependent handle keeps it alive exactly as long
    /// as the array); its finalizer resurrects the array into the pool.
    /// </summary>
    internal sealed class Recycler
    {
        internal readonly Array Array;
        internal readonly DType DType;
        private DependentHandle handle;

        internal Recycler(Array array, DType dtype)
        {
            Array = array;
            DType = dtype;
            handle = new DependentHandle(array, this);
        }

        /// <summary>Frees the handle; the array and this object are left to the GC.</summary>
        internal void Release() => handle.Dispose();

        ~Recycler()
        {
            // During process shutdown nothing will allocate again.
            if (Environment.HasShutdownStarted || !TryReturn(this)) Release();
        }
    }
}
