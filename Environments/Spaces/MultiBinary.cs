namespace RlPlat.Environments;

/// <summary>Gymnasium's <c>MultiBinary(n)</c>: arrays of 0/1 of a given shape. Elements are flat row-major <c>byte[]</c>.</summary>
public sealed class MultiBinary : Space<byte[]>
{
    private readonly int[] shape;

    /// <summary>A flat vector of <paramref name="n"/> bits.</summary>
    public MultiBinary(int n) : this([n]) { }

    /// <summary>An array of bits with the given shape.</summary>
    public MultiBinary(int[] shape)
    {
        if (shape.Length == 0 || ShapeSize(shape) <= 0)
            throw new ArgumentException($"MultiBinary: shape [{string.Join(",", shape)}] must be non-empty with positive dimensions.", nameof(shape));
        this.shape = (int[])shape.Clone();
        N = ShapeSize(shape);
    }

    /// <summary>The number of bits in one element.</summary>
    public int N { get; }

    /// <inheritdoc />
    public override int[] Shape => shape;

    /// <summary><c>np_random.integers(0, 2, size=n, dtype=np.int8)</c>.</summary>
    public override byte[] Sample()
    {
        var bits = new sbyte[N];
        NpRandom.IntegersInt8(0, 2, bits);
        var x = new byte[N];
        for (int i = 0; i < N; i++) x[i] = (byte)bits[i];
        return x;
    }

    /// <summary>Samples with a mask per bit: 0 forces 0, 1 forces 1, 2 samples.</summary>
    public byte[] Sample(ReadOnlySpan<byte> mask)
    {
        if (mask.Length != N) throw new ArgumentException($"MultiBinary.Sample: mask has length {mask.Length}, expected {N}.");
        byte[] x = Sample();
        for (int i = 0; i < N; i++)
        {
            if (mask[i] > 2) throw new ArgumentException($"MultiBinary.Sample: mask entries must be 0, 1 or 2, got {mask[i]} at {i}.");
            if (mask[i] != 2) x[i] = mask[i];
        }
        return x;
    }

    /// <inheritdoc />
    public override bool Contains(byte[] value)
    {
        if (value.Length != N) return false;
        foreach (byte b in value)
            if (b > 1) return false;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"MultiBinary({string.Join(",", shape)})";
}
