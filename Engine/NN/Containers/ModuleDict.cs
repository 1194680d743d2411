namespace RlPlat.Engine.NN;

/// <summary>Submodules by name, in insertion order.</summary>
public sealed class ModuleDict : Module
{
    private readonly OrderedDictionary<string, Module> items = new();

    /// <summary>An empty dict.</summary>
    public ModuleDict() { }

    /// <summary>A dict holding <paramref name="modules"/>.</summary>
    public ModuleDict(IEnumerable<KeyValuePair<string, Module>> modules)
    {
        foreach (var (k, v) in modules) this[k] = v;
    }

    /// <summary>The module called <paramref name="name"/>; setting adds or replaces it.</summary>
    public Module this[string name]
    {
        get => items.TryGetValue(name, out var m) ? m : throw new KeyNotFoundException($"ModuleDict: no module '{name}' (have: {string.Join(", ", items.Keys)})");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            RegisterModule(name, value);
            items[name] = value;
        }
    }

    /// <summary>Number of modules.</summary>
    public int Count => items.Count;

    /// <summary>The names in order.</summary>
    public IEnumerable<string> Keys => items.Keys;

    /// <summary>True when <paramref name="name"/> is present.</summary>
    public bool ContainsKey(string name) => items.ContainsKey(name);

    /// <summary>Removes <paramref name="name"/>; false when absent.</summary>
    public bool RemoveModule(string name) => items.Remove(name) && Remove(name);
}
