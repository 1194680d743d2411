using System.Buffers;
using MessagePack;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Streams;
using RlPlat.Environments;

namespace RlPlat.Connectors.Recording;

/// <summary>
/// Reads a transition log written by <see cref="TransitionLogWriter{TObs,TAction}"/>, record by record (the file is
/// streamed, not loaded whole). A torn last record (a crash mid-write) ends the log cleanly: <see cref="TailError"/>
/// says what was cut. Observations and actions come back in the types of the spaces stored in the header.
/// </summary>
public sealed class TransitionLogReader : IDisposable
{
    private readonly FileStream file;
    private readonly MessagePackStreamReader reader;

    /// <summary>Opens the log and reads its header; a file that is not a transition log is refused.</summary>
    public TransitionLogReader(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        reader = new MessagePackStreamReader(file, leaveOpen: true);
        try
        {
            var header = NextObject() ?? throw new InvalidDataException($"TransitionLog: {Path} is empty or its header is torn.");
            if (Parse(header) is not Dictionary<string, object?> map || map.GetValueOrDefault("format") as string != TransitionLogWriter<object, object>.Format)
                throw new InvalidDataException($"TransitionLog: {Path} is not a transition log (no '{TransitionLogWriter<object, object>.Format}' header).");
            if (map.GetValueOrDefault("version") is not 1L)
                throw new InvalidDataException($"TransitionLog: {Path} has version {map.GetValueOrDefault("version") ?? "nil"}; this build reads version 1.");
            ObservationSpace = map.GetValueOrDefault("observation_space") is { } o ? SpaceDescription.FromMap(o, "observation_space") : null;
            ActionSpace = map.GetValueOrDefault("action_space") is { } a ? SpaceDescription.FromMap(a, "action_space") : null;
            Metadata = map.GetValueOrDefault("metadata") as Dictionary<string, object?> ?? new Dictionary<string, object?>();
        }
        catch (ProtocolException e)
        {
            Dispose();
            throw new InvalidDataException($"TransitionLog: {Path} has a bad header: {e.Message}", e);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The log file's full path.</summary>
    public string Path { get; }

    /// <summary>The observation space recorded in the header, if any.</summary>
    public SpaceDescription? ObservationSpace { get; }

    /// <summary>The action space recorded in the header, if any.</summary>
    public SpaceDescription? ActionSpace { get; }

    /// <summary>The header's metadata.</summary>
    public IReadOnlyDictionary<string, object?> Metadata { get; }

    /// <summary>Null while the log reads cleanly; after the end, a description of a torn or corrupt tail.</summary>
    public string? TailError { get; private set; }

    /// <summary>
    /// Reads the records in order. Observations and actions are converted to <typeparamref name="TObs"/> and
    /// <typeparamref name="TAction"/> (through the header's spaces when present).
    /// </summary>
    public IEnumerable<Transition<TObs, TAction>> Read<TObs, TAction>()
    {
        long n = 0;
        while (true)
        {
            var bytes = NextObject();
            if (bytes is null) yield break;
            Transition<TObs, TAction> t;
            try { t = Decode<TObs, TAction>(bytes.Value); }
            catch (ProtocolException e)
            {
                TailError = $"record {n} is corrupt ({e.Message}); the log ends before it";
                yield break;
            }
            n++;
            yield return t;
        }
    }

    private ReadOnlySequence<byte>? NextObject()
    {
        var next = reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (next is null && !reader.RemainingBytes.IsEmpty)
            TailError = $"the last {reader.RemainingBytes.Length} bytes are a torn record (the writer stopped mid-record)";
        return next;
    }

    private static object? Parse(ReadOnlySequence<byte> bytes)
    {
        var r = new MessagePackReader(bytes);
        return ValueCodec.Guard(ref r, static (ref MessagePackReader x) => ValueCodec.Read(ref x));
    }

    private Transition<TObs, TAction> Decode<TObs, TAction>(ReadOnlySequence<byte> bytes)
    {
        if (Parse(bytes) is not object?[] { Length: 8 } f)
            throw new ProtocolException(ErrorCode.InvalidArgument, "a record must be an array of 8 fields");
        if (f[0] is not long ticks || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || f[1] is not long index || f[2] is not long episode
            || f[3] is not long flags || f[4] is not double reward)
            throw new ProtocolException(ErrorCode.InvalidArgument, "record header fields have the wrong types");
        bool isReset = (flags & 1) != 0;
        var obs = Convert<TObs>(ObservationSpace, f[5], "observation");
        var action = isReset || f[6] is null ? default : Convert<TAction>(ActionSpace, f[6], "action");
        var info = f[7] is Dictionary<string, object?> { Count: > 0 } map ? ToInfo(map) : Info.Empty;
        return new Transition<TObs, TAction>(new DateTimeOffset(ticks, TimeSpan.Zero), index, episode, obs, action, reward,
            (flags & 2) != 0, (flags & 4) != 0, isReset, info);
    }

    private static T Convert<T>(SpaceDescription? space, object? value, string what)
    {
        var converted = space is null ? value : space.Coerce(value, what);
        if (converted is T typed) return typed;
        if (converted is null && default(T) is null) return default!;
        throw new ProtocolException(ErrorCode.InvalidArgument, $"{what} of type {converted?.GetType().Name ?? "nil"} is not a {typeof(T).Name}");
    }

    private static Info ToInfo(Dictionary<string, object?> map)
    {
        var info = new Info();
        foreach (var (k, v) in map) info[k] = v;
        return info;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        reader.Dispose();
        file.Dispose();
    }
}
