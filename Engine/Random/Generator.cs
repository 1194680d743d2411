using System.Numerics;

namespace RlPlat.Engine;

/// <summary>
/// A seeded random number generator (xoshiro256** seeded through SplitMix64): the same seed gives the same stream on
/// every machine. <see cref="Default"/> is per thread, so runs on parallel threads stay reproducible.
/// </summary>
public sealed class Generator
{
    [ThreadStatic] private static Generator? current;

    private ulong s0, s1, s2, s3;
    private double? spareNormal;

    /// <summary>A generator seeded with <paramref name="seed"/>.</summary>
    public Generator(long seed = 0) => ManualSeed(seed);

    /// <summary>This thread's default generator, used when an op is given none (seed 0 until <see cref="Tensor.ManualSeed"/>).</summary>
    public static Generator Default => current ??= new Generator(0);

    /// <summary>The seed this generator was last seeded with.</summary>
    public long InitialSeed { get; private set; }

    /// <summary>Restarts the stream from <paramref name="seed"/>.</summary>
    public Generator ManualSeed(long seed)
    {
        InitialSeed = seed;
        ulong x = (ulong)seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
        spareNormal = null;
        return this;
    }

    /// <summary>The full state (for checkpoints): four words and the cached normal, if any.</summary>
    public ulong[] GetState() => [s0, s1, s2, s3, spareNormal.HasValue ? 1UL : 0UL, BitConverter.DoubleToUInt64Bits(spareNormal ?? 0)];

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(ulong[] state)
    {
        if (state.Length != 6) throw new ArgumentException($"Generator.SetState: expected 6 words, got {state.Length}");
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3]);
        spareNormal = state[4] != 0 ? BitConverter.UInt64BitsToDouble(state[5]) : null;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A standard normal sample (Box-Muller; the second value of each pair is kept for the next call).</summary>
    public double NextNormal()
    {
        if (spareNormal is double spare)
        {
            spareNormal = null;
            return spare;
        }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        spareNormal = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's method).</summary>
    public long NextLong(long n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "upper bound must be positive");
        ulong un = (ulong)n;
        ulong x = NextUInt64();
        UInt128 m = (UInt128)x * un;
        ulong l = (ulong)m;
        if (l < un)
        {
            ulong t = (0 - un) % un;
            while (l < t)
            {
                x = NextUInt64();
                m = (UInt128)x * un;
                l = (ulong)m;
            }
        }
        return (long)(m >> 64);
    }

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n) => (int)NextLong(n);
}
