using RlPlat.Agents.Buffers;
using RlPlat.Engine;

namespace RlPlat.Agents.Online;

/// <summary>
/// A <see cref="ReplayBuffer"/> that the acting thread fills while the learning thread samples it: every access takes
/// a short lock that only copies floats (never held across a gradient step), so acting waits at most a copy. Besides
/// uniform sampling it hands out the fresh transitions in arrival order (<see cref="TakeFresh"/>) for on-policy
/// updates, and keeps a running mean of the reward per step as the learning signal.
/// </summary>
public sealed class StreamingReplay : ReplayBuffer
{
    private readonly object gate = new();
    private long added, taken;
    private double rewardMean;
    private readonly double rewardDecay;

    /// <summary>A buffer of <paramref name="capacity"/> transitions; the reward mean averages over about <paramref name="rewardWindow"/> steps.</summary>
    public StreamingReplay(int capacity, int observationSize, int actionSize, int rewardWindow = 1000) : base(capacity, observationSize, actionSize)
    {
        if (rewardWindow < 1) throw new ArgumentException($"StreamingReplay: reward window must be >= 1, got {rewardWindow}.", nameof(rewardWindow));
        rewardDecay = 1.0 / rewardWindow;
    }

    /// <summary>Transitions added since creation.</summary>
    public long Added
    {
        get { lock (gate) return added; }
    }

    /// <summary>Transitions added and not yet handed out by <see cref="TakeFresh"/> (at most the capacity).</summary>
    public long Fresh
    {
        get { lock (gate) return added - Math.Max(taken, added - Capacity); }
    }

    /// <summary>Exponential running mean of the reward per step (NaN before the first transition).</summary>
    public double RewardMean
    {
        get { lock (gate) return added == 0 ? double.NaN : rewardMean; }
    }

    /// <inheritdoc/>
    public override int Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, float reward, ReadOnlySpan<float> nextObservation, bool isTerminal, float discount)
    {
        lock (gate)
        {
            int slot = base.Add(observation, action, reward, nextObservation, isTerminal, discount);
            // Bias-corrected start: the first steps average over what there is.
            rewardMean += (reward - rewardMean) * Math.Max(rewardDecay, 1.0 / (added + 1));
            added++;
            return slot;
        }
    }

    /// <inheritdoc/>
    public override void Sample(ReplayBatch batch, Generator rng)
    {
        lock (gate) base.Sample(batch, rng);
    }

    /// <summary>
    /// Copies the oldest <c>batch.Size</c> transitions not yet taken, in arrival order, and marks them taken; false (and
    /// nothing copied) when fewer are waiting. Fresh transitions the ring overwrote before they were taken are skipped.
    /// </summary>
    public bool TakeFresh(ReplayBatch batch)
    {
        lock (gate)
        {
            taken = Math.Max(taken, added - Capacity);
            if (added - taken < batch.Size) return false;
            for (int k = 0; k < batch.Size; k++)
            {
                Fill(batch, k, (int)((taken + k) % Capacity));
                batch.Weights[k] = 1f;
            }
            taken += batch.Size;
            return true;
        }
    }
}
