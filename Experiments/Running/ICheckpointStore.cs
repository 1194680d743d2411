namespace RlPlat.Experiments.Running;

/// <summary>Checkpoints of a run: each is a set of named blobs at a step, saved atomically, with a pointer to the latest.</summary>
public interface ICheckpointStore
{
    /// <summary>Saves <paramref name="blobs"/> (name: letters, digits, '.', '_', '-') as the checkpoint at <paramref name="step"/> and makes it the latest.</summary>
    void Save(long step, IReadOnlyDictionary<string, byte[]> blobs);

    /// <summary>The latest complete checkpoint, or null when there is none.</summary>
    Checkpoint? Latest();

    /// <summary>The step of the latest checkpoint, or null when there is none.</summary>
    long? LatestStep { get; }
}

/// <summary>A saved checkpoint: its step and its blobs by name.</summary>
public sealed record Checkpoint(long Step, IReadOnlyDictionary<string, byte[]> Blobs);
