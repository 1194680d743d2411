namespace RlPlat.Environments;

/// <summary>
/// numpy's <c>SeedSequence</c>: hashes a non-negative integer seed into a 4-word entropy pool and expands the
/// pool into any number of well-mixed 32-bit words (<c>generate_state</c>), bit for bit as numpy does.
/// </summary>
public sealed class SeedSequence
{
    private const uint InitA = 0x43b0d7e5, MultA = 0x931e8875, InitB = 0x8b51f9dd, MultB = 0x58f38ded;
    private const uint MixMultL = 0xca01f9dd, MixMultR = 0x4973f715;
    private const int XShift = 16, PoolSize = 4;

    private readonly uint[] pool = new uint[PoolSize];

    /// <summary>Builds the pool from <paramref name="entropy"/> (numpy accepts any non-negative Python int).</summary>
    public SeedSequence(ulong entropy)
    {
        // numpy splits the integer into little-endian 32-bit words; 0 becomes the single word [0].
        uint[] words = entropy <= uint.MaxValue ? [(uint)entropy] : [(uint)entropy, (uint)(entropy >> 32)];
        MixEntropy(words);
    }

    /// <summary>The mixed entropy pool (numpy's <c>SeedSequence.pool</c>).</summary>
    public IReadOnlyList<uint> Pool => pool;

    private static uint HashMix(uint value, ref uint hashConst)
    {
        value ^= hashConst;
        hashConst *= MultA;
        value *= hashConst;
        return value ^ (value >> XShift);
    }

    private static uint Mix(uint x, uint y)
    {
        uint result = MixMultL * x - MixMultR * y;
        return result ^ (result >> XShift);
    }

    private void MixEntropy(uint[] entropy)
    {
        uint hashConst = InitA;
        for (int i = 0; i < PoolSize; i++) pool[i] = HashMix(i < entropy.Length ? entropy[i] : 0u, ref hashConst);
        for (int src = 0; src < PoolSize; src++)
            for (int dst = 0; dst < PoolSize; dst++)
                if (src != dst) pool[dst] = Mix(pool[dst], HashMix(pool[src], ref hashConst));
        for (int src = PoolSize; src < entropy.Length; src++)
            for (int dst = 0; dst < PoolSize; dst++)
                pool[dst] = Mix(pool[dst], HashMix(entropy[src], ref hashConst));
    }

    /// <summary><c>generate_state(n, np.uint32)</c>.</summary>
    public uint[] GenerateState32(int words)
    {
        if (words < 0) throw new ArgumentException($"SeedSequence: word count must be >= 0, got {words}.", nameof(words));
        var state = new uint[words];
        uint hashConst = InitB;
        for (int i = 0; i < words; i++)
        {
            uint v = pool[i % PoolSize] ^ hashConst;
            hashConst *= MultB;
            v *= hashConst;
            state[i] = v ^ (v >> XShift);
        }
        return state;
    }

    /// <summary><c>generate_state(n, np.uint64)</c>: pairs of 32-bit words, low word first.</summary>
    public ulong[] GenerateState64(int words)
    {
        uint[] w = GenerateState32(2 * words);
        var state = new ulong[words];
        for (int i = 0; i < words; i++) state[i] = w[2 * i] | ((ulong)w[2 * i + 1] << 32);
        return state;
    }
}
