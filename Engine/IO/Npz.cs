using System.IO.Compression;

namespace RlPlat.Engine.IO;

/// <summary>
/// Reads and writes NumPy .npz archives: a zip of .npy files, one per named array (np.savez / np.savez_compressed).
/// Reading accepts stored and deflated entries; writing stores entries, or deflates them when asked.
/// </summary>
public static class Npz
{
    /// <summary>Reads every array in the archive at <paramref name="path"/>, keyed by entry name without ".npy".</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads every array in the archive in <paramref name="stream"/>, keyed by entry name without ".npy".</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"npz: not a zip archive ({e.Message})", e);
        }

        using (zip)
        {
            var result = new Dictionary<string, NpyArray>();
            foreach (var entry in zip.Entries)
            {
                // np.savez names each entry "<key>.npy"; directories and other files are not arrays.
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                string key = entry.FullName[..^4];
                try
                {
                    using var entryStream = entry.Open();
                    var array = Npy.Read(entryStream, entry.Length);
                    result[key] = array;
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"npz entry '{entry.FullName}': {e.Message}", e);
                }
            }

            return result;
        }
    }

    /// <summary>Writes <paramref name="arrays"/> to <paramref name="path"/> atomically, one "&lt;key&gt;.npy" entry each.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, NpyArray> arrays, bool compressed = false)
    {
        Check(arrays);
        AtomicFile.Write(path, stream => Write(stream, arrays, compressed));
    }

    /// <summary>Writes <paramref name="arrays"/> as an .npz archive to <paramref name="stream"/> (deflated when <paramref name="compressed"/>).</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, NpyArray> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Check(arrays);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        // Sorted so the same arrays always give the same bytes.
        var keys = new List<string>(arrays.Keys);
        keys.Sort(StringComparer.Ordinal);
        foreach (string key in keys)
        {
            var entry = zip.CreateEntry(key + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using var entryStream = entry.Open();
            Npy.Write(entryStream, arrays[key]);
        }
    }

    private static void Check(IReadOnlyDictionary<string, NpyArray> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        foreach (var (key, array) in arrays)
        {
            if (string.IsNullOrEmpty(key)) throw new ArgumentException("npz: array names must be non-empty");
            if (array is null) throw new ArgumentException($"npz: array '{key}' is null");
            try
            {
                array.Validate();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"npz: array '{key}': {e.Message}", e);
            }
        }
    }
}
