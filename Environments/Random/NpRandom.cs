namespace RlPlat.Environments;

/// <summary>
/// numpy's <c>np.random.Generator(PCG64(SeedSequence(seed)))</c>, the generator Gymnasium's <c>seeding.np_random</c>
/// makes. <see cref="Random"/>, <see cref="Uniform"/> and the bounded integers reproduce numpy bit for bit, so
/// seeded resets match Gymnasium exactly. <see cref="Normal"/> and <see cref="Exponential"/> use the inverse-CDF/polar
/// methods rather than numpy's ziggurat tables: same distribution, not the same numbers as numpy.
/// </summary>
public sealed class NpRandom
{
    private readonly Pcg64 bits;
    private double spareNormal;
    private bool hasSpareNormal;

    /// <summary>Seeds like <c>np.random.default_rng(seed)</c>.</summary>
    public NpRandom(long seed)
    {
        if (seed < 0) throw new ArgumentException($"NpRandom: seed must be non-negative (numpy's rule), got {seed}.", nameof(seed));
        bits = new Pcg64(new SeedSequence((ulong)seed));
        Seed = seed;
    }

    /// <summary>The seed this generator was made from.</summary>
    public long Seed { get; }

    /// <summary>Gymnasium's <c>seeding.np_random(seed)</c>: a fixed seed, or fresh OS entropy when null.</summary>
    public static NpRandom Create(long? seed) => new(seed ?? (System.Random.Shared.NextInt64() & long.MaxValue));

    /// <summary>The underlying bit generator.</summary>
    public Pcg64 BitGenerator => bits;

    /// <summary><c>random()</c>: a double in [0, 1).</summary>
    public double Random() => bits.NextDouble();

    /// <summary><c>uniform(low, high)</c> = low + (high - low) * random().</summary>
    public double Uniform(double low, double high) => low + (high - low) * bits.NextDouble();

    /// <summary>Fills <paramref name="destination"/> with <c>uniform(low[i], high[i])</c>, in order.</summary>
    public void Uniform(ReadOnlySpan<double> low, ReadOnlySpan<double> high, Span<double> destination)
    {
        if (low.Length != destination.Length || high.Length != destination.Length)
            throw new ArgumentException($"Uniform: low ({low.Length}), high ({high.Length}) and destination ({destination.Length}) lengths differ.");
        for (int i = 0; i < destination.Length; i++) destination[i] = Uniform(low[i], high[i]);
    }

    /// <summary><c>integers(low, high)</c> with numpy's default int64 dtype: uniform in [low, high).</summary>
    public long Integers(long low, long high)
    {
        if (high <= low) throw new ArgumentException($"Integers: high ({high}) must be greater than low ({low}).");
        ulong range = (ulong)(high - low) - 1;
        return low + (long)BoundedUInt64(range);
    }

    /// <summary><c>integers(low, high, size=n, dtype=np.int8)</c>, numpy's byte-buffered bounded sampler.</summary>
    public void IntegersInt8(sbyte low, sbyte high, Span<sbyte> destination)
    {
        if (high <= low) throw new ArgumentException($"IntegersInt8: high ({high}) must be greater than low ({low}).");
        byte range = (byte)(high - low - 1);
        uint buffer = 0;
        int count = 0;
        for (int i = 0; i < destination.Length; i++)
            destination[i] = (sbyte)(low + (range == 0 ? 0 : range == 0xFF ? NextByte(ref buffer, ref count) : BoundedByte(range, ref buffer, ref count)));
    }

    /// <summary>A standard normal draw (polar method; not numpy's ziggurat sequence).</summary>
    public double Normal()
    {
        if (hasSpareNormal)
        {
            hasSpareNormal = false;
            return spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2.0 * bits.NextDouble() - 1.0;
            v = 2.0 * bits.NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(s) / s);
        spareNormal = v * f;
        hasSpareNormal = true;
        return u * f;
    }

    /// <summary>A normal draw with the given mean and standard deviation.</summary>
    public double Normal(double mean, double std) => mean + std * Normal();

    /// <summary>A standard exponential draw, <c>-log(1 - U)</c> (not numpy's ziggurat sequence).</summary>
    public double Exponential() => -Math.Log(1.0 - bits.NextDouble());

    private ulong BoundedUInt64(ulong range)
    {
        if (range == 0) return 0;
        if (range <= uint.MaxValue)
        {
            if (range == uint.MaxValue) return bits.NextUInt32();
            return BoundedUInt32((uint)range);
        }
        if (range == ulong.MaxValue) return bits.NextUInt64();
        // Lemire's multiply-and-reject, as numpy's bounded_lemire_uint64.
        ulong rangeExcl = range + 1;
        ulong high = Math.BigMul(bits.NextUInt64(), rangeExcl, out ulong leftover);
        if (leftover < rangeExcl)
        {
            ulong threshold = (ulong.MaxValue - range) % rangeExcl;
            while (leftover < threshold) high = Math.BigMul(bits.NextUInt64(), rangeExcl, out leftover);
        }
        return high;
    }

    private uint BoundedUInt32(uint range)
    {
        uint rangeExcl = range + 1;
        ulong m = (ulong)bits.NextUInt32() * rangeExcl;
        uint leftover = (uint)m;
        if (leftover < rangeExcl)
        {
            uint threshold = (uint.MaxValue - range) % rangeExcl;
            while (leftover < threshold)
            {
                m = (ulong)bits.NextUInt32() * rangeExcl;
                leftover = (uint)m;
            }
        }
        return (uint)(m >> 32);
    }

    private byte NextByte(ref uint buffer, ref int count)
    {
        if (count == 0)
        {
            buffer = bits.NextUInt32();
            count = 3;
        }
        else
        {
            buffer >>= 8;
            count--;
        }
        return (byte)buffer;
    }

    private byte BoundedByte(byte range, ref uint buffer, ref int count)
    {
        int rangeExcl = range + 1;
        int m = NextByte(ref buffer, ref count) * rangeExcl;
        int leftover = m & 0xFF;
        if (leftover < rangeExcl)
        {
            int threshold = (255 - range) % rangeExcl;
            while (leftover < threshold)
            {
                m = NextByte(ref buffer, ref count) * rangeExcl;
                leftover = m & 0xFF;
            }
        }
        return (byte)(m >> 8);
    }
}
