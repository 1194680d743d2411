using System.Buffers.Binary;

namespace RlPlat.Connectors.Protocol;

/// <summary>
/// Reads length-prefixed frames (4-byte little-endian length, then the payload) from a stream, enforcing the frame
/// size limit before reading the payload, so an oversized length never allocates.
/// </summary>
public static class FrameIO
{
    /// <summary>
    /// Reads one frame's header into <paramref name="header"/> and its payload into the memory
    /// <paramref name="payloadBuffer"/> returns for the announced length (called only once the length passed the
    /// limit), and returns the payload length, or -1 when the peer closed cleanly between frames. <paramref name="idleTimeout"/> bounds the wait for the first byte,
    /// <paramref name="frameTimeout"/> the time from the first byte to the last (a half-sent frame).
    /// </summary>
    public static async ValueTask<int> ReadFrameAsync(Stream stream, Memory<byte> header, Func<int, Memory<byte>> payloadBuffer, int maxFrameBytes,
        TimeSpan idleTimeout, TimeSpan frameTimeout, CancellationToken cancel)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        idle.CancelAfter(idleTimeout);
        int got;
        try { got = await stream.ReadAtLeastAsync(header[..1], 1, throwOnEndOfStream: false, idle.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new ProtocolException(ErrorCode.DeadlineExceeded, $"no request within the idle timeout of {idleTimeout.TotalSeconds:0.###} s");
        }
        if (got == 0) return -1;
        using var frame = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        frame.CancelAfter(frameTimeout);
        try
        {
            await ReadExactly(stream, header[1..4], frame.Token).ConfigureAwait(false);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(header.Span);
            if (length > (uint)maxFrameBytes)
                throw new ProtocolException(ErrorCode.ResourceExhausted, $"frame of {length} bytes exceeds the limit of {maxFrameBytes} bytes");
            var payload = payloadBuffer((int)length);
            await ReadExactly(stream, payload[..(int)length], frame.Token).ConfigureAwait(false);
            return (int)length;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new ProtocolException(ErrorCode.DeadlineExceeded, $"frame not complete within {frameTimeout.TotalSeconds:0.###} s (half-sent frame)");
        }
    }

    private static async ValueTask ReadExactly(Stream stream, Memory<byte> into, CancellationToken cancel)
    {
        int got = await stream.ReadAtLeastAsync(into, into.Length, throwOnEndOfStream: false, cancel).ConfigureAwait(false);
        if (got < into.Length) throw new ProtocolException(ErrorCode.InvalidArgument, $"connection closed mid-frame ({got} of {into.Length} bytes arrived)");
    }

    /// <summary>Blocking form for clients: reads one frame's payload into <paramref name="buffer"/> (grown as needed).</summary>
    public static int ReadFrame(Stream stream, ref byte[] buffer, int maxFrameBytes)
    {
        Span<byte> header = stackalloc byte[4];
        int got = stream.ReadAtLeast(header, 4, throwOnEndOfStream: false);
        if (got < 4) throw new EndOfStreamException(got == 0 ? "the server closed the connection" : $"connection closed mid-frame ({got} of 4 header bytes)");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (length > (uint)maxFrameBytes)
            throw new ProtocolException(ErrorCode.ResourceExhausted, $"reply frame of {length} bytes exceeds the limit of {maxFrameBytes} bytes");
        if (buffer.Length < length) buffer = new byte[Math.Max(length, (uint)buffer.Length * 2)];
        got = stream.ReadAtLeast(buffer.AsSpan(0, (int)length), (int)length, throwOnEndOfStream: false);
        if (got < length) throw new EndOfStreamException($"connection closed mid-frame ({got} of {length} payload bytes)");
        return (int)length;
    }
}
