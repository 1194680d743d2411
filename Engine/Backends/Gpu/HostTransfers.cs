using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>
/// Host ↔ device copies through one page-locked staging buffer, so the DMA engine copies asynchronously on the stream.
/// Uploads take consecutive regions of the buffer and only wait for the stream when it wraps around; a download
/// queues its copy, synchronizes once, and copies the staged bytes straight into the destination span.
/// </summary>
internal sealed class HostTransfers(GpuDevice device)
{
    private const long MinStaging = 16 << 20;
    private readonly object gate = new();
    private PageLockedArray1D<byte>? staging;
    private long next;

    /// <summary>Bytes of page-locked staging memory held.</summary>
    internal long StagingBytes { get { lock (gate) return staging?.Length ?? 0; } }

    /// <summary>Queues a copy of <paramref name="src"/> into <paramref name="dst"/> (returns before the copy ends).</summary>
    internal void Upload<T>(ReadOnlySpan<T> src, ArrayView<T> dst) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(src);
        if (bytes.Length == 0) return;
        lock (gate)
        {
            device.Bind();
            if (staging == null || staging.Length < bytes.Length || next + bytes.Length > staging.Length)
            {
                // Earlier uploads may still be reading the buffer.
                device.Stream.Synchronize();
                next = 0;
                Ensure(bytes.Length);
            }
            var region = staging!.Span.Slice((int)next, bytes.Length);
            bytes.CopyTo(region);
            dst.Cast<byte>().CopyFrom(device.Stream, staging.ArrayView.SubView(next, bytes.Length));
            next += (bytes.Length + 255) & ~255L;
        }
    }

    /// <summary>Copies <paramref name="src"/> into <paramref name="dst"/>: waits for the stream once.</summary>
    internal void Download<T>(ArrayView<T> src, Span<T> dst) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(dst);
        if (bytes.Length == 0) return;
        lock (gate)
        {
            device.Bind();
            if (staging == null || staging.Length < bytes.Length)
            {
                device.Stream.Synchronize();
                Ensure(bytes.Length);
            }
            staging!.ArrayView.SubView(0, bytes.Length).CopyFrom(device.Stream, src.Cast<byte>());
            device.Stream.Synchronize();
            next = 0;
            staging.Span[..bytes.Length].CopyTo(bytes);
        }
    }

    private void Ensure(long bytes)
    {
        if (staging != null && staging.Length >= bytes) return;
        long size = Math.Max(MinStaging, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)bytes));
        if (size > int.MaxValue) throw new NotSupportedException($"{device.Device}: a single transfer of {bytes} bytes exceeds the 2 GiB staging limit");
        staging?.Dispose();
        staging = device.Accelerator.AllocatePageLocked1D<byte>(size);
    }
}
