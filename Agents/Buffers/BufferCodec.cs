using System.Runtime.InteropServices;

namespace RlPlat.Agents.Buffers;

/// <summary>
/// The byte layout buffers use in checkpoints: a four-letter tag, a version, then raw little-endian arrays. Raw bytes
/// keep every float exact and a full replay buffer fast to write.
/// </summary>
internal static class BufferCodec
{
    private const int Version = 1;

    /// <summary>Starts a blob with <paramref name="tag"/> (four ASCII letters) and the format version.</summary>
    public static BinaryWriter Begin(MemoryStream stream, string tag)
    {
        var w = new BinaryWriter(stream);
        w.Write(System.Text.Encoding.ASCII.GetBytes(tag));
        w.Write(Version);
        return w;
    }

    /// <summary>Opens a blob and checks its tag and version; the message names <paramref name="what"/>.</summary>
    public static BinaryReader Open(byte[] bytes, string tag, string what)
    {
        if (bytes.Length < 8 || System.Text.Encoding.ASCII.GetString(bytes, 0, 4) != tag)
            throw new ArgumentException($"{what}: {bytes.Length} bytes are not a saved {what} (expected tag '{tag}').");
        var r = new BinaryReader(new MemoryStream(bytes, writable: false));
        r.ReadBytes(4);
        int version = r.ReadInt32();
        if (version != Version) throw new ArgumentException($"{what}: saved with format version {version}, this build reads {Version}.");
        return r;
    }

    /// <summary>Writes the elements of <paramref name="values"/> as raw bytes.</summary>
    public static void Write<T>(BinaryWriter w, ReadOnlySpan<T> values) where T : unmanaged => w.Write(MemoryMarshal.AsBytes(values));

    /// <summary>Fills <paramref name="destination"/> from raw bytes; a short blob is an error naming <paramref name="what"/>.</summary>
    public static void Read<T>(BinaryReader r, Span<T> destination, string what) where T : unmanaged
    {
        try { r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(destination)); }
        catch (EndOfStreamException e) { throw new ArgumentException($"{what}: the saved data ends early (truncated checkpoint).", e); }
    }

    /// <summary>Reads an int and checks it equals <paramref name="expected"/>, naming the field in the message.</summary>
    public static void Expect(BinaryReader r, int expected, string field, string what)
    {
        int got = r.ReadInt32();
        if (got != expected) throw new ArgumentException($"{what}: saved with {field} {got}, this one has {expected}.");
    }
}
