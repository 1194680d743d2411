using ILGPU;

namespace RlPlat.Engine.Backends.Gpu.Memory;

/// <summary>
/// A tensor storage's hold on a device block. Returning the block to the cache happens exactly once: on
/// <see cref="Dispose"/>, at the end of the <see cref="GpuScope"/> it was allocated in, or from the finalizer when
/// the storage is collected without either.
/// </summary>
internal sealed class DeviceMemory : IDisposable
{
    private DeviceBlock? block;

    internal DeviceMemory(GpuDevice owner, DeviceBlock block, long bytes)
    {
        Owner = owner;
        this.block = block;
        Bytes = bytes;
        GpuScope.Track(this);
    }

    /// <summary>The backend the block belongs to.</summary>
    internal GpuDevice Owner { get; }

    /// <summary>Bytes the tensor asked for (the block may be larger).</summary>
    internal long Bytes { get; }

    /// <summary>True once the block went back to the cache.</summary>
    internal bool IsReleased => Volatile.Read(ref block) == null;

    /// <summary>The bytes as a view of <typeparamref name="T"/> elements.</summary>
    internal ArrayView<T> View<T>() where T : unmanaged
    {
        var b = Volatile.Read(ref block) ?? throw new ObjectDisposedException("tensor storage",
            $"this tensor's {Owner.Device} memory was already released (by Dispose or at the end of the Gpu.Scope() it was created in); keep it with Gpu.Keep(tensor) or create it outside the scope");
        return b.Buffer.View.AsContiguous().SubView(0, Bytes).Cast<T>();
    }

    /// <summary>Returns the block to the cache (idempotent).</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    internal void Release()
    {
        var b = Interlocked.Exchange(ref block, null);
        if (b != null) Owner.Allocator.Return(b);
    }

    ~DeviceMemory() => Release();
}
