namespace RlPlat.Environments;

/// <summary>
/// numpy's <c>np.random.Generator(PCG64(SeedSequence(seed)))</c>, the generator Gymnasium's <c>seeding.np_random</c>
/// makes. <see cref="Random"/>, <see cref="Uniform"/> and the bounded integers reproduce numpy bit for bit, so
/// seeded resets match Gymnasium exactly; <see cref="Normal()"/> and <see cref="Exponential"/> use numpy's ziggurat tables
/// (on the rare tail path a portable log1p stands in for the C library's, which can differ in the last bit).
/// </summary>
public sealed class NpRandom
{
    private readonly Pcg64 bits;

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

    /// <summary><c>standard_normal()</c>: numpy's 256-layer ziggurat, the same numbers as numpy.</summary>
    public double Normal()
    {
        while (true)
        {
            ulong r = bits.NextUInt64();
            int idx = (int)(r & 0xFF);
            r >>= 8;
            bool negative = (r & 1) != 0;
            ulong rabs = (r >> 1) & 0x000FFFFFFFFFFFFF;
            double x = rabs * ZigguratTables.Wi[idx];
            if (negative) x = -x;
            if (rabs < ZigguratTables.Ki[idx]) return x; // 99.3% of draws end here
            if (idx == 0)
            {
                // The tail beyond r, by Marsaglia's method (numpy uses 1 - U to avoid log(0)).
                while (true)
                {
                    double xx = -ZigguratTables.NormalInvR * Log1P(-bits.NextDouble());
                    double yy = -Log1P(-bits.NextDouble());
                    if (yy + yy > xx * xx)
                        return ((rabs >> 8) & 1) != 0 ? -(ZigguratTables.NormalR + xx) : ZigguratTables.NormalR + xx;
                }
            }
            if ((ZigguratTables.Fi[idx - 1] - ZigguratTables.Fi[idx]) * bits.NextDouble() + ZigguratTables.Fi[idx] < Math.Exp(-0.5 * x * x))
                return x;
        }
    }

    /// <summary><c>normal(mean, std)</c> = mean + std * standard_normal().</summary>
    public double Normal(double mean, double std) => mean + std * Normal();

    /// <summary><c>standard_exponential()</c>: numpy's 256-layer ziggurat, the same numbers as numpy.</summary>
    public double Exponential()
    {
        while (true)
        {
            ulong ri = bits.NextUInt64() >> 3;
            int idx = (int)(ri & 0xFF);
            ri >>= 8;
            double x = ri * ZigguratTables.We[idx];
            if (ri < ZigguratTables.Ke[idx]) return x; // 98.9% of draws end here
            if (idx == 0) return ZigguratTables.ExponentialR - Log1P(-bits.NextDouble());
            if ((ZigguratTables.Fe[idx - 1] - ZigguratTables.Fe[idx]) * bits.NextDouble() + ZigguratTables.Fe[idx] < Math.Exp(-x))
                return x;
        }
    }

    // log(1 + x) without the cancellation of Math.Log(1 + x) (Kahan's trick); glibc's log1p may differ in the last bit.
    private static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

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
