namespace RlPlat.Environments;

/// <summary>A Gymnasium space: a set of values with a shape, a sampler and a membership test.</summary>
public abstract class Space
{
    /// <summary>The shape of one element (empty for scalars such as Discrete).</summary>
    public abstract int[] Shape { get; }

    /// <summary>Draws a random element (boxed).</summary>
    public abstract object SampleObject();

    /// <summary>True when <paramref name="value"/> is an element of this space.</summary>
    public abstract bool ContainsObject(object? value);

    /// <summary>Re-seeds this space's own random generator.</summary>
    public abstract void Seed(int? seed);
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
