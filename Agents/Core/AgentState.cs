using MessagePack;

namespace RlPlat.Agents;

/// <summary>
/// An agent's whole state as plain data: named weight groups (networks, optimizer moments, normalizer statistics),
/// scalars (counters, schedule positions) and byte blobs (RNG state, anything else). Saved with MessagePack.
/// </summary>
[MessagePackObject]
public sealed class AgentState
{
    /// <summary>The agent's type name, checked on load.</summary>
    [Key(0)] public string Algorithm { get; set; } = "";

    /// <summary>Weight groups by name ("policy", "optimizer", "obs_rms", ...).</summary>
    [Key(1)] public Dictionary<string, PolicyWeights> Weights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Scalars by name ("num_timesteps", "n_updates", ...).</summary>
    [Key(2)] public Dictionary<string, double> Scalars { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Opaque blobs by name ("rng", ...).</summary>
    [Key(3)] public Dictionary<string, byte[]> Blobs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The weight group <paramref name="name"/>.</summary>
    public PolicyWeights Group(string name) =>
        Weights.TryGetValue(name, out var w) ? w : throw new ArgumentException($"AgentState: no weight group '{name}' (have: {string.Join(", ", Weights.Keys)}).");

    /// <summary>The scalar <paramref name="name"/>.</summary>
    public double Scalar(string name) =>
        Scalars.TryGetValue(name, out var v) ? v : throw new ArgumentException($"AgentState: no scalar '{name}' (have: {string.Join(", ", Scalars.Keys)}).");

    /// <summary>The blob <paramref name="name"/>.</summary>
    public byte[] Blob(string name) =>
        Blobs.TryGetValue(name, out var v) ? v : throw new ArgumentException($"AgentState: no blob '{name}' (have: {string.Join(", ", Blobs.Keys)}).");

    /// <summary>Serializes to MessagePack bytes.</summary>
    public byte[] ToBytes() => MessagePackSerializer.Serialize(this);

    /// <summary>Reads what <see cref="ToBytes"/> wrote.</summary>
    public static AgentState FromBytes(byte[] bytes)
    {
        try
        {
            return MessagePackSerializer.Deserialize<AgentState>(bytes);
        }
        catch (MessagePackSerializationException e)
        {
            throw new ArgumentException($"AgentState: {bytes.Length} bytes are not a saved agent state ({e.Message}).", nameof(bytes), e);
        }
    }

    /// <summary>Writes the state to <paramref name="path"/> atomically (temp file, then rename).</summary>
    public void Save(string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId;
        File.WriteAllBytes(temp, ToBytes());
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Reads a state saved by <see cref="Save"/>.</summary>
    public static AgentState Load(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"AgentState.Load: no file at '{path}'.", nameof(path));
        return FromBytes(File.ReadAllBytes(path));
    }
}
