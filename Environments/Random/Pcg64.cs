namespace RlPlat.Environments;

/// <summary>numpy's <c>PCG64</c> bit generator: a 128-bit LCG with the XSL-RR 64-bit output, plus numpy's 32-bit buffer.</summary>
public sealed class Pcg64
{
    private static readonly UInt128 Multiplier = new(2549297995355413924UL, 4865540595714422341UL);

    private UInt128 state;
    private UInt128 increment;
    private bool hasUInt32;
    private uint bufferedUInt32;

    /// <summary>Seeds as <c>np.random.PCG64(np.random.SeedSequence(seed))</c>.</summary>
    public Pcg64(SeedSequence seedSequence)
    {
        ulong[] v = seedSequence.GenerateState64(4);
        SetSeed(new UInt128(v[0], v[1]), new UInt128(v[2], v[3]));
    }

    /// <summary>Seeds from a raw 128-bit initial state and stream (numpy's <c>pcg64_set_seed</c>).</summary>
    public Pcg64(UInt128 initState, UInt128 initSequence) => SetSeed(initState, initSequence);

    private void SetSeed(UInt128 initState, UInt128 initSequence)
    {
        state = 0;
        increment = (initSequence << 1) | 1;
        state = state * Multiplier + increment;
        state += initState;
        state = state * Multiplier + increment;
        hasUInt32 = false;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        state = state * Multiplier + increment;
        ulong hi = (ulong)(state >> 64), lo = (ulong)state;
        int rot = (int)(hi >> 58);
        return ulong.RotateRight(hi ^ lo, rot);
    }

    /// <summary>The next 32 random bits: numpy splits each 64-bit draw, low half first.</summary>
    public uint NextUInt32()
    {
        if (hasUInt32)
        {
            hasUInt32 = false;
            return bufferedUInt32;
        }
        ulong next = NextUInt64();
        hasUInt32 = true;
        bufferedUInt32 = (uint)(next >> 32);
        return (uint)next;
    }

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);
}
