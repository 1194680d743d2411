using System.Reflection;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Finds the user types a YAML file names as <c>Namespace.Type, Assembly</c>: in loaded assemblies, in the <c>.dll</c> the
/// file names under <c>assembly:</c>, or in <c>Assembly.dll</c> next to rlplat or in the working folder. An assembly loaded
/// here joins the default load context, so later lookups by name (<c>Type.GetType</c>) find it too.
/// </summary>
public static class CustomTypes
{
    /// <summary>The type, or null with <paramref name="why"/> saying what was looked at.</summary>
    public static Type? Find(string qualifiedName, string? assemblyPath, out string why)
    {
        int comma = qualifiedName.IndexOf(',');
        if (comma <= 0) throw new ArgumentException($"type name '{qualifiedName}' is not of the form 'Namespace.Type, Assembly'", nameof(qualifiedName));
        string typeName = qualifiedName[..comma].Trim(), assemblyName = qualifiedName[(comma + 1)..].Trim();
        why = "";
        if (assemblyPath is not null)
        {
            var full = Path.GetFullPath(assemblyPath);
            if (!File.Exists(full))
            {
                why = $"its assembly '{assemblyPath}' does not exist (resolved to {full})";
                return null;
            }
            var loaded = Load(full, out why);
            if (loaded is null) return null;
            if (loaded.GetType(typeName) is { } inFile) return inFile;
            why = $"'{typeName}' is not a type in {full}";
            return null;
        }
        if (TryGetType(qualifiedName) is { } type) return type;
        var tried = new List<string>();
        foreach (var dir in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            var path = Path.Combine(dir, assemblyName + ".dll");
            tried.Add(path);
            if (!File.Exists(path)) continue;
            if (Load(path, out why)?.GetType(typeName) is { } found) return found;
        }
        why = $"it is not in a loaded assembly, nor in {string.Join(" or ", tried.Distinct())} (give agent.assembly or connector.assembly: the path of its .dll)";
        return null;
    }

    /// <summary>Loads the assembly at <paramref name="path"/> (if given) so that its types resolve by name.</summary>
    /// <exception cref="InvalidOperationException">The file is missing or not a .NET assembly.</exception>
    public static void LoadAssembly(string? path)
    {
        if (path is null) return;
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new InvalidOperationException($"assembly '{path}' does not exist (resolved to {full})");
        if (Load(full, out var why) is null) throw new InvalidOperationException(why);
    }

    private static Assembly? Load(string fullPath, out string why)
    {
        why = "";
        try { return Assembly.LoadFrom(fullPath); }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or IOException)
        {
            why = $"'{fullPath}' could not be loaded as a .NET assembly ({e.Message})";
            return null;
        }
    }

    private static Type? TryGetType(string qualifiedName)
    {
        try { return Type.GetType(qualifiedName, throwOnError: false); }
        catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException or TypeLoadException) { return null; }
    }
}
