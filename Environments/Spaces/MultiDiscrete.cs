namespace RlPlat.Environments;

/// <summary>Gymnasium's <c>MultiDiscrete(nvec, start)</c>: element i lies in [start[i], start[i] + nvec[i]). Elements are <c>int[]</c>.</summary>
public sealed class MultiDiscrete : Space<int[]>
{
    /// <summary>A space with <c>nvec[i]</c> choices in dimension i, starting at <c>start[i]</c> (default 0).</summary>
    public MultiDiscrete(int[] nvec, int[]? start = null)
    {
        if (nvec.Length == 0) throw new ArgumentException("MultiDiscrete: nvec is empty.", nameof(nvec));
        for (int i = 0; i < nvec.Length; i++)
            if (nvec[i] <= 0) throw new ArgumentException($"MultiDiscrete: nvec[{i}] = {nvec[i]} must be positive.", nameof(nvec));
        if (start != null && start.Length != nvec.Length)
            throw new ArgumentException($"MultiDiscrete: start has {start.Length} values, nvec {nvec.Length}.", nameof(start));
        Nvec = (int[])nvec.Clone();
        Start = start == null ? new int[nvec.Length] : (int[])start.Clone();
    }

    /// <summary>The number of choices per dimension.</summary>
    public int[] Nvec { get; }

    /// <summary>The smallest value per dimension.</summary>
    public int[] Start { get; }

    /// <inheritdoc />
    public override int[] Shape => [Nvec.Length];

    /// <summary><c>(np_random.random(nvec.shape) * nvec).astype(int) + start</c>.</summary>
    public override int[] Sample()
    {
        var x = new int[Nvec.Length];
        for (int i = 0; i < x.Length; i++) x[i] = (int)(NpRandom.Random() * Nvec[i]) + Start[i];
        return x;
    }

    /// <summary>Samples each dimension among its allowed values (one 0/1 mask per dimension), as Gymnasium's masked sample.</summary>
    public int[] Sample(IReadOnlyList<byte[]> masks)
    {
        if (masks.Count != Nvec.Length) throw new ArgumentException($"MultiDiscrete.Sample: {masks.Count} masks for {Nvec.Length} dimensions.");
        var x = new int[Nvec.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int allowed = Discrete.CheckMask(masks[i], Nvec[i], "MultiDiscrete");
            if (allowed == 0)
            {
                x[i] = Start[i];
                continue;
            }
            long pick = NpRandom.Integers(0, allowed);
            for (int j = 0; j < Nvec[i]; j++)
                if (masks[i][j] == 1 && pick-- == 0)
                {
                    x[i] = Start[i] + j;
                    break;
                }
        }
        return x;
    }

    /// <inheritdoc />
    public override bool Contains(int[] value)
    {
        if (value.Length != Nvec.Length) return false;
        for (int i = 0; i < value.Length; i++)
            if (value[i] < Start[i] || value[i] >= Start[i] + Nvec[i]) return false;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"MultiDiscrete([{string.Join(", ", Nvec)}])";
}
