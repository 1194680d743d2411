namespace RlPlat.Environments;

/// <summary>Gymnasium's <c>Dict</c> space: named subspaces, kept in sorted key order (as Gymnasium sorts a plain dict).</summary>
public sealed class DictSpace : Space<IReadOnlyDictionary<string, object>>
{
    private readonly SortedDictionary<string, Space> spaces;

    /// <summary>A dictionary of subspaces.</summary>
    public DictSpace(IReadOnlyDictionary<string, Space> spaces)
    {
        if (spaces.Count == 0) throw new ArgumentException("DictSpace: no subspaces given.", nameof(spaces));
        this.spaces = new SortedDictionary<string, Space>(StringComparer.Ordinal);
        foreach (var (k, v) in spaces) this.spaces[k] = v ?? throw new ArgumentException($"DictSpace: subspace '{k}' is null.");
    }

    /// <summary>The subspaces by name, in sorted key order.</summary>
    public IReadOnlyDictionary<string, Space> Spaces => spaces;

    /// <summary>The subspace named <paramref name="key"/>.</summary>
    public Space this[string key] =>
        spaces.TryGetValue(key, out var s) ? s : throw new ArgumentException($"DictSpace: no subspace '{key}' (have {string.Join(", ", spaces.Keys)}).");

    /// <inheritdoc />
    public override int[] Shape => [];

    /// <summary>Seeds this space, then each subspace with an int32 drawn from it (in key order), as Gymnasium's Dict.seed(int).</summary>
    public override void Seed(int? seed)
    {
        base.Seed(seed);
        foreach (var s in spaces.Values) s.Seed(seed == null ? null : (int)NpRandom.Integers(0, int.MaxValue));
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Sample()
    {
        var x = new Dictionary<string, object>(spaces.Count);
        foreach (var (k, s) in spaces) x[k] = s.SampleObject();
        return x;
    }

    /// <inheritdoc />
    public override bool Contains(IReadOnlyDictionary<string, object> value)
    {
        if (value.Count != spaces.Count) return false;
        foreach (var (k, s) in spaces)
            if (!value.TryGetValue(k, out var v) || !s.ContainsObject(v)) return false;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => "Dict(" + string.Join(", ", spaces.Select(p => $"'{p.Key}': {p.Value}")) + ")";
}

/// <summary>Gymnasium's <c>Tuple</c> space: an ordered list of subspaces. Elements are <c>object[]</c>.</summary>
public sealed class TupleSpace : Space<object[]>
{
    private readonly Space[] spaces;

    /// <summary>A tuple of subspaces.</summary>
    public TupleSpace(IReadOnlyList<Space> spaces)
    {
        if (spaces.Count == 0) throw new ArgumentException("TupleSpace: no subspaces given.", nameof(spaces));
        this.spaces = new Space[spaces.Count];
        for (int i = 0; i < spaces.Count; i++) this.spaces[i] = spaces[i] ?? throw new ArgumentException($"TupleSpace: subspace {i} is null.");
    }

    /// <summary>The subspaces, in order.</summary>
    public IReadOnlyList<Space> Spaces => spaces;

    /// <inheritdoc />
    public override int[] Shape => [];

    /// <summary>Seeds this space, then each subspace with an int32 drawn from it, as Gymnasium's Tuple.seed(int).</summary>
    public override void Seed(int? seed)
    {
        base.Seed(seed);
        foreach (var s in spaces) s.Seed(seed == null ? null : (int)NpRandom.Integers(0, int.MaxValue));
    }

    /// <inheritdoc />
    public override object[] Sample()
    {
        var x = new object[spaces.Length];
        for (int i = 0; i < x.Length; i++) x[i] = spaces[i].SampleObject();
        return x;
    }

    /// <inheritdoc />
    public override bool Contains(object[] value)
    {
        if (value.Length != spaces.Length) return false;
        for (int i = 0; i < value.Length; i++)
            if (!spaces[i].ContainsObject(value[i])) return false;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => "Tuple(" + string.Join(", ", spaces.Select(s => s.ToString())) + ")";
}
