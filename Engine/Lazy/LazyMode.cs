using RlPlat.Engine.Lazy;
using RlPlat.Engine.Lazy.Fusion;

namespace RlPlat.Engine;

/// <summary>
/// Lazy evaluation: inside <c>using (LazyMode.Scope()) { ... }</c> (or on tensors made lazy with
/// <see cref="Tensor.Lazy"/>) float32 elementwise ops, full sums and clones build a graph instead of computing. Reading
/// values (ToArray, Item, ToString, AsSpan, indexing), <see cref="Tensor.Backward"/>, an optimizer step or
/// <see cref="Tensor.Realize"/> runs the pending graph, fused into as few generated kernels as its shape allows.
/// </summary>
public static class LazyMode
{
    [ThreadStatic] private static int depth;

    /// <summary>True inside a <see cref="Scope"/> on this thread.</summary>
    public static bool IsActive => depth > 0;

    /// <summary>Enters lazy mode on this thread until the returned scope is disposed (scopes nest).</summary>
    public static LazyScope Scope()
    {
        depth++;
        return new LazyScope(true);
    }

    /// <summary>Counters of the fusing JIT since the process started (subtract two snapshots for a delta).</summary>
    public static LazyCounters Counters => new(FusedLauncher.KernelsLaunched, FusedCompiler.KernelsCompiled, FusedCompiler.CacheHits, LazyRealizer.BytesAllocated);

    /// <summary>Leaves lazy mode: pending tensors stay pending until read.</summary>
    public readonly struct LazyScope : IDisposable
    {
        private readonly bool entered;
        internal LazyScope(bool entered) => this.entered = entered;

        /// <summary>Ends the scope.</summary>
        public void Dispose()
        {
            if (entered) depth--;
        }
    }
}

/// <summary>A snapshot of the fusing JIT's counters.</summary>
/// <param name="KernelsLaunched">Fused kernels run (one per map or sum, however many threads ran it).</param>
/// <param name="KernelsCompiled">Distinct expressions compiled.</param>
/// <param name="CacheHits">Kernel requests answered from the cache.</param>
/// <param name="BytesAllocated">Bytes of output buffers allocated by realization.</param>
public readonly record struct LazyCounters(long KernelsLaunched, long KernelsCompiled, long CacheHits, long BytesAllocated)
{
    /// <summary>The change from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static LazyCounters operator -(LazyCounters after, LazyCounters before) =>
        new(after.KernelsLaunched - before.KernelsLaunched, after.KernelsCompiled - before.KernelsCompiled,
            after.CacheHits - before.CacheHits, after.BytesAllocated - before.BytesAllocated);
}
