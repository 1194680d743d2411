namespace RlPlat.Environments;

/// <summary>A Gymnasium space: a set of values with a shape, a sampler and a membership test.</summary>
public abstract class Space
{
    private NpRandom? random;

    /// <summary>The shape of one element (empty for scalars such as Discrete).</summary>
    public abstract int[] Shape { get; }

    /// <summary>Draws a random element (boxed).</summary>
    public abstract object SampleObject();

    /// <summary>True when <paramref name="value"/> is an element of this space.</summary>
    public abstract bool ContainsObject(object? value);

    /// <summary>This space's generator (Gymnasium's <c>space.np_random</c>): seeded from OS entropy until <see cref="Seed"/> is called.</summary>
    public NpRandom NpRandom => random ??= NpRandom.Create(null);

    /// <summary>Re-seeds this space's own random generator (null: fresh OS entropy).</summary>
    public virtual void Seed(int? seed) => random = NpRandom.Create(seed);

    /// <summary>The number of elements in one value's shape (1 for scalars).</summary>
    public static int ShapeSize(int[] shape)
    {
        int n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape [{string.Join(",", shape)}] has a negative dimension.");
            n *= d;
        }
        return n;
    }
}

/// <summary>A space whose elements are of type <typeparamref name="T"/>.</summary>
public abstract class Space<T> : Space
{
    /// <summary>Draws a random element.</summary>
    public abstract T Sample();

    /// <summary>True when <paramref name="value"/> is an element of this space.</summary>
    public abstract bool Contains(T value);

    public override object SampleObject() => Sample()!;

    public override bool ContainsObject(object? value) => value is T t && Contains(t);
}
