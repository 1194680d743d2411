using System.Buffers;
using System.Diagnostics;
using MessagePack;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Streams;
using RlPlat.Environments;

namespace RlPlat.Connectors.Recording;

/// <summary>Options of a <see cref="TransitionLogWriter{TObs,TAction}"/>.</summary>
public sealed record TransitionLogOptions
{
    /// <summary>Flush to the OS after this many records (a crash loses at most these).</summary>
    public int FlushEvery { get; init; } = 64;

    /// <summary>Also flush when this much time passed since the last flush (checked on each record).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Free-form metadata stored in the header (env id, agent, seed, ...).</summary>
    public IReadOnlyDictionary<string, object?>? Metadata { get; init; }
}

/// <summary>
/// Records a transition stream to an append-only MessagePack log (format in Connectors/PROTOCOL.md): a header object,
/// then one self-delimiting array per transition. Records are flushed regularly, so a crash loses at most the
/// unflushed tail and never corrupts earlier records; <see cref="TransitionLogReader"/> stops cleanly at a torn tail.
/// Subscribe it to a stream (it is an observer) or pass it to <c>RecordTo</c>. Thread-safe.
/// </summary>
public sealed class TransitionLogWriter<TObs, TAction> : IObserver<Transition<TObs, TAction>>, IDisposable
{
    /// <summary>The format name in the header.</summary>
    public const string Format = "rlplat-transitions";

    private readonly FileStream file;
    private readonly ArrayBufferWriter<byte> buffer = new(1024);
    private readonly TransitionLogOptions options;
    private readonly int[]? observationShape, actionShape;
    private readonly Stopwatch sinceFlush = Stopwatch.StartNew();
    private readonly object gate = new();
    private int unflushed;
    private bool disposed;

    /// <summary>Creates (or replaces) the log at <paramref name="path"/> and writes its header.</summary>
    /// <param name="path">The log file.</param>
    /// <param name="observationSpace">Stored in the header so a reader can convert observations back to their types; may be null.</param>
    /// <param name="actionSpace">Same for actions.</param>
    /// <param name="options">Flush policy and metadata.</param>
    public TransitionLogWriter(string path, Space? observationSpace = null, Space? actionSpace = null, TransitionLogOptions? options = null)
    {
        this.options = options ?? new TransitionLogOptions();
        if (this.options.FlushEvery < 1) throw new ArgumentException($"TransitionLogWriter: FlushEvery must be at least 1, got {this.options.FlushEvery}.", nameof(options));
        Path = System.IO.Path.GetFullPath(path);
        var obs = observationSpace is null ? null : SpaceWire.Describe(observationSpace);
        var act = actionSpace is null ? null : SpaceWire.Describe(actionSpace);
        observationShape = obs?.TensorShape;
        actionShape = act?.TensorShape;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(5);
        w.Write("format"); w.Write(Format);
        w.Write("version"); w.Write(1);
        w.Write("observation_space"); if (obs is null) w.WriteNil(); else obs.Write(ref w);
        w.Write("action_space"); if (act is null) w.WriteNil(); else act.Write(ref w);
        w.Write("metadata"); ValueCodec.Write(ref w, this.options.Metadata ?? new Dictionary<string, object?>(), lenient: true);
        w.Flush();
        file.Write(buffer.WrittenSpan);
        file.Flush(flushToDisk: true);
    }

    /// <summary>The log file's full path.</summary>
    public string Path { get; }

    /// <summary>Records written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Appends one transition.</summary>
    public void OnNext(Transition<TObs, TAction> t)
    {
        ArgumentNullException.ThrowIfNull(t);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            buffer.ResetWrittenCount();
            var w = new MessagePackWriter(buffer);
            w.WriteArrayHeader(8);
            w.Write(t.Timestamp.UtcTicks);
            w.Write(t.Index);
            w.Write(t.Episode);
            w.Write((t.IsReset ? 1 : 0) | (t.Terminated ? 2 : 0) | (t.Truncated ? 4 : 0));
            w.Write(t.Reward);
            ValueCodec.Write(ref w, t.Observation, observationShape);
            if (t.IsReset) w.WriteNil(); else ValueCodec.Write(ref w, t.Action, actionShape);
            ValueCodec.Write(ref w, t.Info, lenient: true);
            w.Flush();
            // One write per record: a crash can tear only the record being written, never an earlier one.
            file.Write(buffer.WrittenSpan);
            Count++;
            if (++unflushed >= options.FlushEvery || sinceFlush.Elapsed >= options.FlushInterval) FlushLocked();
        }
    }

    /// <summary>Pushes buffered records to the OS now.</summary>
    public void Flush()
    {
        lock (gate) if (!disposed) FlushLocked();
    }

    private void FlushLocked()
    {
        file.Flush();
        unflushed = 0;
        sinceFlush.Restart();
    }

    /// <summary>The stream ended: flush and close the file.</summary>
    public void OnCompleted() => Dispose();

    /// <summary>The stream failed: keep what was recorded, flush and close.</summary>
    public void OnError(Exception error) => Dispose();

    /// <summary>Flushes to disk and closes the file.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            file.Flush(flushToDisk: true);
            file.Dispose();
        }
    }
}
