using ILGPU;
using ILGPU.Runtime;

namespace RlPlat.Engine.Backends.Gpu.Memory;

/// <summary>One device allocation, owned by the allocator for its whole life (so ILGPU never finalizes it behind our back).</summary>
internal sealed class DeviceBlock(MemoryBuffer1D<byte, Stride1D.Dense> buffer, long bytes)
{
    /// <summary>The ILGPU buffer.</summary>
    internal readonly MemoryBuffer1D<byte, Stride1D.Dense> Buffer = buffer;

    /// <summary>The bucket size in bytes (at least what was asked for).</summary>
    internal readonly long Bytes = bytes;
}

/// <summary>
/// A caching allocator: device allocations are slow and ILGPU keeps none, so freed blocks go to size-bucketed free
/// lists and the next request of that bucket reuses one. Thread-safe: blocks come back from finalizers too.
/// Buckets: powers of two from 512 B up to 1 MiB, then whole MiB.
/// </summary>
internal sealed class CachingAllocator(GpuDevice device)
{
    private readonly object gate = new();
    private readonly Dictionary<long, Stack<DeviceBlock>> free = new();
    private readonly HashSet<DeviceBlock> all = new(ReferenceEqualityComparer.Instance);
    private long inUse, cached, peak, allocations, reuses;

    /// <summary>Bytes held by live tensors (bucket sizes).</summary>
    internal long BytesInUse { get { lock (gate) return inUse; } }

    /// <summary>Bytes in the free lists, ready for reuse.</summary>
    internal long BytesCached { get { lock (gate) return cached; } }

    /// <summary>The largest <see cref="BytesInUse"/> so far.</summary>
    internal long PeakBytesInUse { get { lock (gate) return peak; } }

    /// <summary>Device allocations made (cache misses).</summary>
    internal long Allocations { get { lock (gate) return allocations; } }

    /// <summary>Requests served from the cache.</summary>
    internal long Reuses { get { lock (gate) return reuses; } }

    /// <summary>The bucket a request of <paramref name="bytes"/> falls into.</summary>
    internal static long BucketOf(long bytes)
    {
        if (bytes <= 512) return 512;
        if (bytes <= 1 << 20) return (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)bytes);
        const long mib = 1 << 20;
        return (bytes + mib - 1) / mib * mib;
    }

    /// <summary>A block of at least <paramref name="bytes"/> bytes (contents undefined).</summary>
    internal DeviceBlock Rent(long bytes)
    {
        long bucket = BucketOf(bytes);
        lock (gate)
        {
            if (free.TryGetValue(bucket, out var stack) && stack.Count > 0)
            {
                var b = stack.Pop();
                cached -= bucket;
                Use(bucket);
                reuses++;
                return b;
            }
        }
        MemoryBuffer1D<byte, Stride1D.Dense> buffer;
        device.Bind();
        try { buffer = device.Accelerator.Allocate1D<byte>(bucket); }
        catch (Exception e) when (e is OutOfMemoryException or AcceleratorException)
        {
            // Out of device memory: give the cached blocks back to the driver and try once more.
            EmptyCache();
            try { buffer = device.Accelerator.Allocate1D<byte>(bucket); }
            catch (Exception e2) when (e2 is OutOfMemoryException or AcceleratorException)
            {
                throw new InvalidOperationException($"{device.Device}: out of device memory allocating {bucket} bytes ({BytesInUse} bytes in use by tensors); free tensors (Gpu.Scope, Dispose) or use smaller batches", e2);
            }
        }
        var block = new DeviceBlock(buffer, bucket);
        lock (gate)
        {
            all.Add(block);
            allocations++;
            Use(bucket);
        }
        return block;
    }

    private void Use(long bucket)
    {
        inUse += bucket;
        if (inUse > peak) peak = inUse;
    }

    /// <summary>Puts a block back on its free list (safe from any thread, finalizers included; no device call).</summary>
    internal void Return(DeviceBlock block)
    {
        lock (gate)
        {
            if (!free.TryGetValue(block.Bytes, out var stack)) free[block.Bytes] = stack = new Stack<DeviceBlock>();
            stack.Push(block);
            inUse -= block.Bytes;
            cached += block.Bytes;
        }
    }

    /// <summary>Frees every cached block on the device; blocks held by tensors stay.</summary>
    internal void EmptyCache()
    {
        List<DeviceBlock> release = [];
        lock (gate)
        {
            foreach (var stack in free.Values)
                while (stack.Count > 0) release.Add(stack.Pop());
            foreach (var b in release) all.Remove(b);
            cached = 0;
        }
        device.Bind();
        foreach (var b in release) b.Buffer.Dispose();
    }
}
