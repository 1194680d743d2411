using RlPlat.Engine;

namespace RlPlat.Agents.Buffers;

/// <summary>
/// Proportional prioritized replay (Schaul et al. 2016): slot i is drawn with probability p_i^alpha / sum p^alpha by
/// stratified sampling over a <see cref="SumTree"/>; importance weights (N * P(i))^-beta are divided by their maximum.
/// New transitions get the largest priority seen so far, so each is replayed at least once soon.
/// </summary>
public sealed class PrioritizedReplayBuffer : ReplayBuffer
{
    private readonly SumTree tree;
    private double maxPriority = 1.0;

    /// <summary>A prioritized buffer; <paramref name="alpha"/> 0 gives uniform sampling.</summary>
    public PrioritizedReplayBuffer(int capacity, int observationSize, int actionSize, double alpha = 0.6, double epsilon = 1e-6)
        : base(capacity, observationSize, actionSize)
    {
        if (alpha < 0) throw new ArgumentException($"PrioritizedReplayBuffer: alpha {alpha} must be >= 0.", nameof(alpha));
        Alpha = alpha;
        Epsilon = epsilon;
        tree = new SumTree(capacity);
    }

    /// <summary>How strongly priorities skew sampling.</summary>
    public double Alpha { get; }

    /// <summary>Added to |TD error| so no transition gets zero priority.</summary>
    public double Epsilon { get; }

    /// <summary>Importance-sampling exponent used by <see cref="Sample"/> (annealed towards 1 by the agent).</summary>
    public double Beta { get; set; } = 0.4;

    /// <summary>The sampling weight p^alpha of <paramref name="slot"/>.</summary>
    public double PriorityOf(int slot) => tree[slot];

    /// <inheritdoc />
    public override int Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, float reward, ReadOnlySpan<float> nextObservation, bool isTerminal, float discount)
    {
        int slot = base.Add(observation, action, reward, nextObservation, isTerminal, discount);
        tree.Set(slot, Math.Pow(maxPriority, Alpha));
        return slot;
    }

    /// <inheritdoc />
    public override void Sample(ReplayBatch batch, Generator rng)
    {
        if (Count == 0) throw new InvalidOperationException("PrioritizedReplayBuffer.Sample: the buffer is empty.");
        double total = tree.Total, segment = total / batch.Size;
        double maxWeight = Math.Pow(Count * tree.Min / total, -Beta);
        for (int k = 0; k < batch.Size; k++)
        {
            double u = (k + rng.NextDouble()) * segment;
            int slot = tree.Find(Math.Min(u, total * (1 - 1e-12)));
            Fill(batch, k, slot);
            double p = tree[slot] / total;
            batch.Weights[k] = (float)(Math.Pow(Count * p, -Beta) / maxWeight);
        }
    }

    /// <inheritdoc />
    protected override void SaveSlots(BinaryWriter writer, ReadOnlySpan<int> slots)
    {
        writer.Write(maxPriority);
        foreach (int slot in slots) writer.Write(tree[slot]);
    }

    /// <inheritdoc />
    protected override void LoadSlots(BinaryReader reader, int count)
    {
        maxPriority = reader.ReadDouble();
        tree.Clear();
        for (int slot = 0; slot < count; slot++) tree.Set(slot, reader.ReadDouble());
    }

    /// <summary>Sets the priorities of sampled slots from their new |TD errors|.</summary>
    public void UpdatePriorities(ReadOnlySpan<int> slots, ReadOnlySpan<float> tdErrors)
    {
        if (slots.Length != tdErrors.Length) throw new ArgumentException($"UpdatePriorities: {slots.Length} slots but {tdErrors.Length} errors.");
        for (int k = 0; k < slots.Length; k++)
        {
            if (!float.IsFinite(tdErrors[k])) throw new ArgumentException($"UpdatePriorities: TD error {tdErrors[k]} for slot {slots[k]} is not finite.");
            double priority = Math.Abs(tdErrors[k]) + Epsilon;
            maxPriority = Math.Max(maxPriority, priority);
            tree.Set(slots[k], Math.Pow(priority, Alpha));
        }
    }
}
