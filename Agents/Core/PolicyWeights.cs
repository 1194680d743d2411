using MessagePack;

namespace RlPlat.Agents;

/// <summary>Named float arrays with their shapes: a policy's (or optimizer's) parameters as plain, serializable data.</summary>
[MessagePackObject]
public sealed class PolicyWeights
{
    /// <summary>Parameter names in order.</summary>
    [Key(0)] public List<string> Names { get; set; } = [];

    /// <summary>Shapes, one per name.</summary>
    [Key(1)] public List<int[]> Shapes { get; set; } = [];

    /// <summary>Values (row-major), one per name.</summary>
    [Key(2)] public List<float[]> Values { get; set; } = [];

    /// <summary>Number of entries.</summary>
    [IgnoreMember] public int Count => Names.Count;

    /// <summary>Adds an entry (the values are copied).</summary>
    public void Add(string name, int[] shape, ReadOnlySpan<float> values)
    {
        int size = 1;
        foreach (int s in shape) size *= s;
        if (size != values.Length) throw new ArgumentException($"PolicyWeights.Add: '{name}' has shape [{string.Join(",", shape)}] ({size} values) but {values.Length} values were given.");
        if (Names.Contains(name)) throw new ArgumentException($"PolicyWeights.Add: '{name}' is already present.");
        Names.Add(name);
        Shapes.Add((int[])shape.Clone());
        Values.Add(values.ToArray());
    }

    /// <summary>The values stored under <paramref name="name"/>.</summary>
    public float[] Get(string name, int[] expectedShape)
    {
        int i = Names.IndexOf(name);
        if (i < 0) throw new ArgumentException($"PolicyWeights: no entry '{name}' (have: {string.Join(", ", Names)}).");
        if (!Shapes[i].AsSpan().SequenceEqual(expectedShape))
            throw new ArgumentException($"PolicyWeights: '{name}' has shape [{string.Join(",", Shapes[i])}], expected [{string.Join(",", expectedShape)}].");
        return Values[i];
    }

    /// <summary>True when an entry named <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => Names.Contains(name);
}
