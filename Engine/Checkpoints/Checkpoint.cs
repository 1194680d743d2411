using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using MessagePack;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Engine.Checkpoints;

/// <summary>
/// Everything needed to resume training in one file: named sections of tensors (module and optimizer state dicts)
/// and named blobs (RNG states, step counters, normalization stats, config text).
/// <para>
/// File format, version 1: the 8 bytes "RLPCKPT\0", a little-endian uint32 format version, an int64 payload length,
/// a uint32 CRC-32 of the payload, then the payload: a MessagePack map {"sections": {name: {key: tensor}}, "blobs":
/// {name: bytes}} where a tensor is [dtype name, shape, raw little-endian bytes]. Files are written to a temp name
/// and renamed, so a crash never leaves a half-written checkpoint; loading checks magic, version, length and
/// checksum and parses everything before anything is applied.
/// </para>
/// </summary>
public sealed class Checkpoint
{
    /// <summary>The format version this build writes.</summary>
    public const uint FormatVersion = 1;

    private static readonly byte[] Magic = "RLPCKPT\0"u8.ToArray();
    private const int HeaderSize = 8 + 4 + 8 + 4;

    /// <summary>Tensor sections by name ("model", "optimizer", "target_net", ...).</summary>
    public OrderedDictionary<string, StateDict> Sections { get; } = new();

    /// <summary>Opaque byte blobs by name.</summary>
    public OrderedDictionary<string, byte[]> Blobs { get; } = new();

    // ---------- building ----------

    /// <summary>Stores <paramref name="module"/>'s state dict as section <paramref name="name"/>; returns this.</summary>
    public Checkpoint Add(string name, Module module) => Add(name, module.StateDict());

    /// <summary>Stores <paramref name="optimizer"/>'s state dict as section <paramref name="name"/>.</summary>
    public Checkpoint Add(string name, Optimizer optimizer) => Add(name, optimizer.StateDict());

    /// <summary>Stores a state dict as section <paramref name="name"/> (copies, so later training does not change it).</summary>
    public Checkpoint Add(string name, StateDict state)
    {
        var copy = new StateDict();
        using (Autograd.NoGrad())
            foreach (var (k, v) in state) copy[k] = v.Detach().Clone();
        Sections[name] = copy;
        return this;
    }

    /// <summary>Stores raw bytes as blob <paramref name="name"/>.</summary>
    public Checkpoint SetBlob(string name, byte[] data)
    {
        Blobs[name] = (byte[])data.Clone();
        return this;
    }

    /// <summary>Stores a 64-bit integer (a step counter).</summary>
    public Checkpoint SetLong(string name, long value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, value);
        Blobs[name] = b;
        return this;
    }

    /// <summary>Stores doubles (normalization statistics, returns).</summary>
    public Checkpoint SetDoubles(string name, ReadOnlySpan<double> values)
    {
        var b = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(i * 8), values[i]);
        Blobs[name] = b;
        return this;
    }

    /// <summary>Stores UTF-8 text (a resolved config).</summary>
    public Checkpoint SetString(string name, string value)
    {
        Blobs[name] = Encoding.UTF8.GetBytes(value);
        return this;
    }

    /// <summary>Stores a generator's full state.</summary>
    public Checkpoint SetGenerator(string name, Generator generator)
    {
        var s = generator.GetState();
        var b = new byte[s.Length * 8];
        for (int i = 0; i < s.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(i * 8), s[i]);
        Blobs[name] = b;
        return this;
    }

    // ---------- reading back ----------

    /// <summary>Section <paramref name="name"/>.</summary>
    public StateDict Section(string name) => Sections.TryGetValue(name, out var s) ? s
        : throw new KeyNotFoundException($"Checkpoint: no section '{name}' (sections: {string.Join(", ", Sections.Keys)})");

    /// <summary>Loads section <paramref name="name"/> into <paramref name="module"/> (strict; nothing is written on error).</summary>
    public void LoadInto(string name, Module module, bool strict = true) => module.LoadStateDict(Section(name), strict);

    /// <summary>Loads section <paramref name="name"/> into <paramref name="optimizer"/>.</summary>
    public void LoadInto(string name, Optimizer optimizer) => optimizer.LoadStateDict(Section(name));

    /// <summary>Blob <paramref name="name"/>.</summary>
    public byte[] GetBlob(string name) => Blobs.TryGetValue(name, out var b) ? b
        : throw new KeyNotFoundException($"Checkpoint: no blob '{name}' (blobs: {string.Join(", ", Blobs.Keys)})");

    /// <summary>The integer stored by <see cref="SetLong"/>.</summary>
    public long GetLong(string name)
    {
        var b = GetBlob(name);
        if (b.Length != 8) throw new InvalidDataException($"Checkpoint: blob '{name}' has {b.Length} bytes, not the 8 of an int64");
        return BinaryPrimitives.ReadInt64LittleEndian(b);
    }

    /// <summary>The doubles stored by <see cref="SetDoubles"/>.</summary>
    public double[] GetDoubles(string name)
    {
        var b = GetBlob(name);
        if (b.Length % 8 != 0) throw new InvalidDataException($"Checkpoint: blob '{name}' has {b.Length} bytes, not a multiple of 8");
        var r = new double[b.Length / 8];
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadDoubleLittleEndian(b.AsSpan(i * 8));
        return r;
    }

    /// <summary>The text stored by <see cref="SetString"/>.</summary>
    public string GetString(string name) => Encoding.UTF8.GetString(GetBlob(name));

    /// <summary>Restores <paramref name="generator"/> to the state stored by <see cref="SetGenerator"/>.</summary>
    public void RestoreGenerator(string name, Generator generator)
    {
        var b = GetBlob(name);
        if (b.Length != 48) throw new InvalidDataException($"Checkpoint: blob '{name}' has {b.Length} bytes, not the 48 of a generator state");
        var s = new ulong[6];
        for (int i = 0; i < 6; i++) s[i] = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(i * 8));
        generator.SetState(s);
    }

    // ---------- files ----------

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically (temp file in the same folder, then rename).</summary>
    public void Save(string path)
    {
        var bytes = ToBytes();
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Reads a checkpoint; a truncated, corrupted or foreign file gets an <see cref="InvalidDataException"/> naming the problem.</summary>
    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint.Load: no file at {path}", path);
        try
        {
            return FromBytes(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Checkpoint.Load({path}): {e.Message}", e);
        }
    }

    /// <summary>The file's bytes (header + payload).</summary>
    public byte[] ToBytes()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Checkpoint: tensor data is written little-endian; this machine is big-endian");
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(2);
        w.Write("sections");
        w.WriteMapHeader(Sections.Count);
        foreach (var (name, sd) in Sections)
        {
            w.Write(name);
            w.WriteMapHeader(sd.Count);
            foreach (var (key, t) in sd)
            {
                w.Write(key);
                WriteTensor(ref w, t);
            }
        }
        w.Write("blobs");
        w.WriteMapHeader(Blobs.Count);
        foreach (var (name, data) in Blobs)
        {
            w.Write(name);
            w.Write(data);
        }
        w.Flush();
        var payload = buffer.WrittenSpan;
        var file = new byte[HeaderSize + payload.Length];
        Magic.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(12), payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), Crc32.Compute(payload));
        payload.CopyTo(file.AsSpan(HeaderSize));
        return file;
    }

    /// <summary>Parses bytes written by <see cref="ToBytes"/>, checking header and checksum first.</summary>
    public static Checkpoint FromBytes(byte[] file)
    {
        if (file.Length < HeaderSize) throw new InvalidDataException($"file is {file.Length} bytes, shorter than the {HeaderSize}-byte header (truncated?)");
        if (!file.AsSpan(0, 8).SequenceEqual(Magic)) throw new InvalidDataException("not an rlplat checkpoint (bad magic bytes)");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        if (version != FormatVersion) throw new InvalidDataException($"format version {version} is not supported (this build reads version {FormatVersion})");
        long length = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(12));
        if (length != file.Length - HeaderSize)
            throw new InvalidDataException($"payload length is {file.Length - HeaderSize} bytes but the header says {length} (truncated or appended to)");
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(20));
        var payload = file.AsMemory(HeaderSize);
        uint actual = Crc32.Compute(payload.Span);
        if (actual != expected) throw new InvalidDataException($"checksum mismatch (stored CRC-32 {expected:X8}, computed {actual:X8}): the file is corrupted");
        try
        {
            return Parse(payload);
        }
        catch (MessagePackSerializationException e)
        {
            throw new InvalidDataException($"malformed payload: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"malformed payload: {e.Message}", e);
        }
    }

    private static Checkpoint Parse(ReadOnlyMemory<byte> payload)
    {
        var cp = new Checkpoint();
        var r = new MessagePackReader(payload);
        int top = r.ReadMapHeader();
        for (int i = 0; i < top; i++)
        {
            var key = r.ReadString();
            if (key == "sections")
            {
                int n = r.ReadMapHeader();
                for (int s = 0; s < n; s++)
                {
                    var name = r.ReadString() ?? throw new InvalidDataException("null section name");
                    var sd = new StateDict();
                    int m = r.ReadMapHeader();
                    for (int k = 0; k < m; k++)
                    {
                        var tkey = r.ReadString() ?? throw new InvalidDataException($"null key in section '{name}'");
                        sd[tkey] = ReadTensor(ref r, $"{name}/{tkey}");
                    }
                    cp.Sections[name] = sd;
                }
            }
            else if (key == "blobs")
            {
                int n = r.ReadMapHeader();
                for (int b = 0; b < n; b++)
                {
                    var name = r.ReadString() ?? throw new InvalidDataException("null blob name");
                    var bytes = r.ReadBytes() ?? throw new InvalidDataException($"blob '{name}' is null");
                    cp.Blobs[name] = bytes.ToArray();
                }
            }
            else r.Skip();
        }
        return cp;
    }

    private static void WriteTensor(ref MessagePackWriter w, Tensor t)
    {
        var c = t.Contiguous();
        w.WriteArrayHeader(3);
        w.Write(c.DType.Name());
        w.WriteArrayHeader(c.Rank);
        foreach (var d in c.ShapeSpan) w.Write(d);
        w.Write(c.DType switch
        {
            DType.Float32 => MemoryMarshal.AsBytes(c.AsSpan<float>()),
            DType.Float64 => MemoryMarshal.AsBytes(c.AsSpan<double>()),
            DType.Int32 => MemoryMarshal.AsBytes(c.AsSpan<int>()),
            DType.Int64 => MemoryMarshal.AsBytes(c.AsSpan<long>()),
            DType.Bool => MemoryMarshal.AsBytes(c.AsSpan<bool>()),
            DType.UInt8 => c.AsSpan<byte>(),
            _ => throw new ArgumentOutOfRangeException(nameof(t), c.DType, "unknown dtype"),
        });
    }

    private static Tensor ReadTensor(ref MessagePackReader r, string where)
    {
        if (r.ReadArrayHeader() != 3) throw new InvalidDataException($"tensor {where}: expected [dtype, shape, data]");
        var dtName = r.ReadString();
        DType dt = default;
        bool found = false;
        foreach (var d in Enum.GetValues<DType>())
            if (d.Name() == dtName) { dt = d; found = true; }
        if (!found) throw new InvalidDataException($"tensor {where}: unknown dtype '{dtName}'");
        int rank = r.ReadArrayHeader();
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            shape[i] = r.ReadInt32();
            if (shape[i] < 0) throw new InvalidDataException($"tensor {where}: negative dim {shape[i]}");
        }
        var bytes = r.ReadBytes() ?? throw new InvalidDataException($"tensor {where}: null data");
        long numel = 1;
        foreach (var d in shape) numel *= d;
        if (bytes.Length != numel * dt.SizeOf())
            throw new InvalidDataException($"tensor {where}: {bytes.Length} data bytes for shape {Shape.Format(shape)} of {dt.Name()} (expected {numel * dt.SizeOf()})");
        var t = Tensor.Zeros(dt, shape);
        var dst = dt switch
        {
            DType.Float32 => MemoryMarshal.AsBytes(t.AsSpan<float>()),
            DType.Float64 => MemoryMarshal.AsBytes(t.AsSpan<double>()),
            DType.Int32 => MemoryMarshal.AsBytes(t.AsSpan<int>()),
            DType.Int64 => MemoryMarshal.AsBytes(t.AsSpan<long>()),
            DType.Bool => MemoryMarshal.AsBytes(t.AsSpan<bool>()),
            _ => t.AsSpan<byte>(),
        };
        bytes.CopyTo(dst);
        if (dt == DType.Bool)
            foreach (var b in dst)
                if (b > 1) throw new InvalidDataException($"tensor {where}: bool byte {b} is neither 0 nor 1");
        return t;
    }
}
