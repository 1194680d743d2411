namespace RlPlat.Engine.NN;

/// <summary>
/// Named tensors in insertion order: a module's parameters and buffers, an optimizer's state, or anything a
/// checkpoint stores. Keys are dotted paths ("body.0.weight", "state.3.exp_avg").
/// </summary>
public sealed class StateDict : OrderedDictionary<string, Tensor>
{
    /// <summary>An empty state dict.</summary>
    public StateDict() { }

    /// <summary>Adds every entry of <paramref name="other"/> under <paramref name="prefix"/> + "." + key.</summary>
    public StateDict AddPrefixed(string prefix, StateDict other)
    {
        foreach (var (k, v) in other) Add(prefix + "." + k, v);
        return this;
    }

    /// <summary>The entries whose key starts with <paramref name="prefix"/> + ".", with that prefix removed.</summary>
    public StateDict WithPrefix(string prefix)
    {
        var sd = new StateDict();
        var p = prefix + ".";
        foreach (var (k, v) in this)
            if (k.StartsWith(p, StringComparison.Ordinal)) sd.Add(k[p.Length..], v);
        return sd;
    }
}
