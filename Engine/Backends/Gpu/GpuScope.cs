using RlPlat.Engine.Backends.Gpu.Memory;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>
/// Deterministic release of device memory: every GPU buffer allocated on this thread while the scope is open goes
/// back to the cache when it closes, unless it was kept with <see cref="Gpu.Keep"/>. Scopes nest; a kept buffer moves
/// to the enclosing scope (or to the GC when there is none). Tensors whose memory was released throw when used.
/// </summary>
public sealed class GpuScope : IDisposable
{
    [ThreadStatic] private static GpuScope? current;

    private readonly GpuScope? parent;
    private readonly List<WeakReference<DeviceMemory>> owned = [];
    private bool closed;

    internal GpuScope()
    {
        parent = current;
        current = this;
    }

    /// <summary>Buffers this scope will release (still held).</summary>
    public int Count
    {
        get
        {
            int n = 0;
            foreach (var w in owned) if (w.TryGetTarget(out var m) && !m.IsReleased) n++;
            return n;
        }
    }

    internal static void Track(DeviceMemory memory) => current?.owned.Add(new WeakReference<DeviceMemory>(memory));

    /// <summary>Hands <paramref name="memory"/> to the enclosing scope (or to the GC) so this scope does not release it.</summary>
    internal static void Keep(DeviceMemory memory)
    {
        var s = current;
        if (s == null) return;
        for (int i = s.owned.Count - 1; i >= 0; i--)
            if (s.owned[i].TryGetTarget(out var m) && ReferenceEquals(m, memory))
            {
                s.owned.RemoveAt(i);
                s.parent?.owned.Add(new WeakReference<DeviceMemory>(memory));
                return;
            }
    }

    /// <summary>Releases the scope's buffers to the cache.</summary>
    public void Dispose()
    {
        if (closed) return;
        if (!ReferenceEquals(current, this))
            throw new InvalidOperationException("GpuScope: scopes must be closed in reverse order of opening, on the thread that opened them");
        closed = true;
        current = parent;
        foreach (var w in owned)
            if (w.TryGetTarget(out var m)) m.Dispose();
        owned.Clear();
    }
}
