using RlPlat.Engine;

namespace RlPlat.Agents;

/// <summary>Saves and restores a <see cref="Generator"/>'s state as bytes, for agent checkpoints.</summary>
public static class RngState
{
    /// <summary>The generator's state as bytes.</summary>
    public static byte[] Save(Generator rng)
    {
        ulong[] s = rng.GetState();
        var bytes = new byte[s.Length * 8];
        for (int i = 0; i < s.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), s[i]);
        return bytes;
    }

    /// <summary>Restores a state written by <see cref="Save"/>.</summary>
    public static void Load(Generator rng, byte[] bytes)
    {
        if (bytes.Length % 8 != 0) throw new ArgumentException($"RngState.Load: {bytes.Length} bytes is not a whole number of 64-bit words.");
        var s = new ulong[bytes.Length / 8];
        for (int i = 0; i < s.Length; i++) s[i] = BitConverter.ToUInt64(bytes, i * 8);
        rng.SetState(s);
    }
}
