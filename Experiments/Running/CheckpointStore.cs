using System.Globalization;
using System.Text.RegularExpressions;
using RlPlat.Experiments.Output;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Checkpoints as folders <c>step-000000001000/&lt;name&gt;.bin</c> plus a <c>latest</c> file naming the newest.
/// A checkpoint is written into a temp folder and renamed, then <c>latest</c> is replaced atomically, so a crash at any
/// point leaves the previous checkpoint loadable.
/// </summary>
public sealed partial class CheckpointStore : ICheckpointStore
{
    private const string LatestFile = "latest";
    private readonly string dir;
    private readonly int keep;
    private readonly Lock gate = new();

    /// <summary>A store under <paramref name="dir"/> that keeps the newest <paramref name="keep"/> checkpoints.</summary>
    public CheckpointStore(string dir, int keep)
    {
        if (keep < 1) throw new ArgumentException($"keep must be >= 1, got {keep}", nameof(keep));
        this.dir = dir;
        this.keep = keep;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex BlobName();

    /// <inheritdoc/>
    public void Save(long step, IReadOnlyDictionary<string, byte[]> blobs)
    {
        if (step < 0) throw new ArgumentException($"checkpoint step must be >= 0, got {step}", nameof(step));
        if (blobs.Count == 0) throw new ArgumentException($"checkpoint at step {step} has no blobs", nameof(blobs));
        foreach (var name in blobs.Keys)
            if (!BlobName().IsMatch(name))
                throw new ArgumentException($"checkpoint blob name '{name}' must use letters, digits, '.', '_' or '-' only", nameof(blobs));
        lock (gate)
        {
            Directory.CreateDirectory(dir);
            var name = StepFolder(step);
            var final = Path.Combine(dir, name);
            var tmp = Path.Combine(dir, $".{name}.{Guid.NewGuid():N}.tmp");
            Directory.CreateDirectory(tmp);
            foreach (var (blob, bytes) in blobs)
            {
                using var stream = new FileStream(Path.Combine(tmp, blob + ".bin"), FileMode.CreateNew);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            if (Directory.Exists(final))
            {
                // Saving the same step twice replaces it; the old one is moved aside first so the rename below succeeds.
                var old = Path.Combine(dir, $".{name}.{Guid.NewGuid():N}.old");
                Directory.Move(final, old);
                Directory.Move(tmp, final);
                Directory.Delete(old, recursive: true);
            }
            else Directory.Move(tmp, final);
            AtomicFile.WriteText(Path.Combine(dir, LatestFile), name + "\n");
            Prune(name);
        }
    }

    /// <inheritdoc/>
    public long? LatestStep
    {
        get
        {
            var name = LatestName();
            return name is null ? null : ParseStep(name);
        }
    }

    /// <inheritdoc/>
    public Checkpoint? Latest()
    {
        lock (gate)
        {
            var name = LatestName();
            if (name is null) return null;
            var folder = Path.Combine(dir, name);
            if (!Directory.Exists(folder))
                throw new InvalidOperationException($"checkpoint pointer '{Path.Combine(dir, LatestFile)}' names '{name}', which does not exist");
            var blobs = new Dictionary<string, byte[]>();
            foreach (var file in Directory.GetFiles(folder, "*.bin"))
                blobs[Path.GetFileNameWithoutExtension(file)] = File.ReadAllBytes(file);
            return new Checkpoint(ParseStep(name), blobs);
        }
    }

    /// <summary>Deletes every checkpoint (a fresh, non-resumed run starts clean so a later resume cannot pick up stale state).</summary>
    public void Clear()
    {
        lock (gate)
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private string? LatestName()
    {
        var pointer = Path.Combine(dir, LatestFile);
        return File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : null;
    }

    private void Prune(string latest)
    {
        var folders = Directory.GetDirectories(dir, "step-*");
        Array.Sort(folders, StringComparer.Ordinal);   // zero-padded steps sort in step order
        for (int i = 0; i < folders.Length - keep; i++)
            if (Path.GetFileName(folders[i]) != latest) Directory.Delete(folders[i], recursive: true);
    }

    private static string StepFolder(long step) => "step-" + step.ToString("D12", CultureInfo.InvariantCulture);

    private static long ParseStep(string folder)
        => folder.StartsWith("step-", StringComparison.Ordinal) && long.TryParse(folder.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? s
            : throw new InvalidOperationException($"checkpoint folder name '{folder}' is not step-<number>");
}
