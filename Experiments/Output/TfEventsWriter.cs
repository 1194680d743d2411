using System.Buffers.Binary;
using System.Text;

namespace RlPlat.Experiments.Output;

/// <summary>
/// Writes a TensorBoard event file (<c>events.out.tfevents.&lt;time&gt;.&lt;host&gt;</c>): TFRecord framing (length,
/// masked CRC-32C of the length, a serialized <c>tensorflow.Event</c>, masked CRC-32C of the data) around hand-encoded
/// protobuf messages: a file-version event, scalar summaries (<c>Summary.Value{tag, simple_value}</c>) and session-start
/// markers. The file is append-only because TensorBoard tails it while it grows; each batch of records is flushed, so a
/// crash can only cut the last record short, which TensorBoard's reader skips.
/// </summary>
public sealed class TfEventsWriter : IDisposable
{
    private readonly FileStream file;
    private readonly MemoryStream message = new();

    /// <summary>Creates a new event file in <paramref name="dir"/> and writes its version record.</summary>
    public TfEventsWriter(string dir, DateTime now)
    {
        Directory.CreateDirectory(dir);
        long seconds = new DateTimeOffset(now.ToUniversalTime()).ToUnixTimeSeconds();
        Path = System.IO.Path.Combine(dir, $"events.out.tfevents.{seconds}.{Environment.MachineName}.{Environment.ProcessId}");
        // A second writer in the same second and process (a resumed run) gets its own file; TensorBoard reads them all.
        for (int n = 1; File.Exists(Path); n++) Path = System.IO.Path.Combine(dir, $"events.out.tfevents.{seconds}.{Environment.MachineName}.{Environment.ProcessId}.{n}");
        file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        WallTime = new DateTimeOffset(now.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        Write(Event(WallTime, 0, e => String(e, 3, "brain.Event:2")));
        file.Flush();
    }

    /// <summary>The event file.</summary>
    public string Path { get; }

    /// <summary>Seconds since the Unix epoch at which the file was opened (its events' base time).</summary>
    public double WallTime { get; }

    /// <summary>Appends one event holding scalar summaries (tag, value) at <paramref name="step"/>.</summary>
    public void Scalars(double wallTime, long step, IEnumerable<KeyValuePair<string, double>> values)
    {
        var summary = new MemoryStream();
        Span<byte> f = stackalloc byte[4];
        foreach (var (tag, value) in values)
        {
            var v = new MemoryStream();
            String(v, 1, tag);
            Tag(v, 2, 5);
            BinaryPrimitives.WriteSingleLittleEndian(f, (float)value);
            v.Write(f);
            Bytes(summary, 1, v.ToArray());
        }
        if (summary.Length == 0) return;
        Write(Event(wallTime, step, e => Bytes(e, 5, summary.ToArray())));
    }

    /// <summary>
    /// Appends <c>SessionLog{status: START}</c> at <paramref name="step"/>: TensorBoard then drops events of earlier files
    /// at or after that step, which is what a resume from a checkpoint at <paramref name="step"/> needs.
    /// </summary>
    public void SessionStart(double wallTime, long step)
    {
        var log = new MemoryStream();
        Tag(log, 1, 0);
        Varint(log, 1);
        Write(Event(wallTime, step, e => Bytes(e, 6, log.ToArray())));
    }

    /// <summary>Pushes written records to disk.</summary>
    public void Flush() => file.Flush();

    /// <inheritdoc />
    public void Dispose() => file.Dispose();

    /// <summary>A serialized Event: wall_time (1, double), step (2, int64), then the body.</summary>
    private byte[] Event(double wallTime, long step, Action<MemoryStream> body)
    {
        message.SetLength(0);
        Tag(message, 1, 1);
        Span<byte> d = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(d, wallTime);
        message.Write(d);
        Tag(message, 2, 0);
        Varint(message, (ulong)step);
        body(message);
        return message.ToArray();
    }

    private void Write(byte[] data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        file.Write(header);
        file.Write(data);
        file.Write(footer);
    }

    private static void Tag(Stream s, int field, int wireType) => Varint(s, (ulong)((field << 3) | wireType));

    private static void Varint(Stream s, ulong v)
    {
        while (v >= 0x80)
        {
            s.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        s.WriteByte((byte)v);
    }

    private static void Bytes(Stream s, int field, byte[] bytes)
    {
        Tag(s, field, 2);
        Varint(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    private static void String(Stream s, int field, string text) => Bytes(s, field, Encoding.UTF8.GetBytes(text));
}
