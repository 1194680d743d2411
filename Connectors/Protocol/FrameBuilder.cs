using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MessagePack;

namespace RlPlat.Connectors.Protocol;

/// <summary>
/// Builds one outgoing frame in a reused buffer: 4 bytes of little-endian payload length, then the MessagePack
/// payload. TCP sends <see cref="Frame"/> as is; WebSocket sends <see cref="Payload"/> as one binary message.
/// </summary>
public sealed class FrameBuilder
{
    /// <summary>Bytes of the length prefix.</summary>
    public const int HeaderBytes = 4;

    private readonly ArrayBufferWriter<byte> buffer = new(256);

    /// <summary>Clears the buffer and returns a writer positioned after the reserved length prefix.</summary>
    public MessagePackWriter Begin()
    {
        buffer.ResetWrittenCount();
        buffer.GetSpan(HeaderBytes)[..HeaderBytes].Clear();
        buffer.Advance(HeaderBytes);
        return new MessagePackWriter(buffer);
    }

    /// <summary>Flushes <paramref name="writer"/> and writes the length prefix.</summary>
    public void End(ref MessagePackWriter writer)
    {
        writer.Flush();
        if (buffer.WrittenCount < HeaderBytes) throw new InvalidOperationException("FrameBuilder: End without Begin.");
        // The prefix was reserved by Begin; patch it in place now that the payload length is known.
        var written = MemoryMarshal.AsMemory(buffer.WrittenMemory).Span;
        BinaryPrimitives.WriteUInt32LittleEndian(written, (uint)(buffer.WrittenCount - HeaderBytes));
    }

    /// <summary>Length prefix and payload.</summary>
    public ReadOnlyMemory<byte> Frame => buffer.WrittenMemory;

    /// <summary>The payload alone.</summary>
    public ReadOnlyMemory<byte> Payload => buffer.WrittenMemory[HeaderBytes..];
}
