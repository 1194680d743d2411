using RlPlat.Engine;

namespace RlPlat.Agents.Buffers;

/// <summary>
/// A circular off-policy buffer of single transitions (obs, action, reward, next obs, terminated, discount), sampled
/// uniformly. Truncated episodes are stored as not terminated, so their final observation is bootstrapped from
/// (Stable-Baselines3's <c>handle_timeout_termination</c>).
/// </summary>
public class ReplayBuffer
{
    private readonly float[] observations, nextObservations, actions, rewards, terminated, discounts;
    private int next;

    /// <summary>A buffer holding up to <paramref name="capacity"/> transitions.</summary>
    public ReplayBuffer(int capacity, int observationSize, int actionSize)
    {
        if (capacity <= 0 || observationSize <= 0 || actionSize <= 0)
            throw new ArgumentException($"ReplayBuffer: capacity {capacity}, observationSize {observationSize} and actionSize {actionSize} must be positive.");
        Capacity = capacity;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        observations = new float[(long)capacity * observationSize <= int.MaxValue ? capacity * observationSize : throw new ArgumentException($"ReplayBuffer: capacity {capacity} x {observationSize} floats is too large.")];
        nextObservations = new float[capacity * observationSize];
        actions = new float[capacity * actionSize];
        rewards = new float[capacity];
        terminated = new float[capacity];
        discounts = new float[capacity];
    }

    /// <summary>Most transitions held.</summary>
    public int Capacity { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>Transitions held now.</summary>
    public int Count { get; private set; }

    /// <summary>Slot the next transition goes to.</summary>
    public int Position => next;

    /// <summary>Stores one transition and returns its slot; the oldest is overwritten when full.</summary>
    public virtual int Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, float reward, ReadOnlySpan<float> nextObservation, bool isTerminal, float discount)
    {
        if (observation.Length != ObservationSize || nextObservation.Length != ObservationSize || action.Length != ActionSize)
            throw new ArgumentException($"ReplayBuffer.Add: got observation {observation.Length}, next {nextObservation.Length}, action {action.Length} floats; expected {ObservationSize}, {ObservationSize}, {ActionSize}.");
        int slot = next;
        observation.CopyTo(observations.AsSpan(slot * ObservationSize));
        nextObservation.CopyTo(nextObservations.AsSpan(slot * ObservationSize));
        action.CopyTo(actions.AsSpan(slot * ActionSize));
        rewards[slot] = reward;
        terminated[slot] = isTerminal ? 1f : 0f;
        discounts[slot] = discount;
        next = (next + 1) % Capacity;
        if (Count < Capacity) Count++;
        return slot;
    }

    /// <summary>Samples <c>batch.Size</c> transitions uniformly with replacement.</summary>
    public virtual void Sample(ReplayBatch batch, Generator rng)
    {
        if (Count == 0) throw new InvalidOperationException("ReplayBuffer.Sample: the buffer is empty.");
        for (int k = 0; k < batch.Size; k++)
        {
            int slot = rng.NextInt(Count);
            Fill(batch, k, slot);
            batch.Weights[k] = 1f;
        }
    }

    /// <summary>Copies transition <paramref name="slot"/> into row <paramref name="k"/> of <paramref name="batch"/>.</summary>
    protected void Fill(ReplayBatch batch, int k, int slot)
    {
        observations.AsSpan(slot * ObservationSize, ObservationSize).CopyTo(batch.Observations.AsSpan(k * ObservationSize));
        nextObservations.AsSpan(slot * ObservationSize, ObservationSize).CopyTo(batch.NextObservations.AsSpan(k * ObservationSize));
        actions.AsSpan(slot * ActionSize, ActionSize).CopyTo(batch.Actions.AsSpan(k * ActionSize));
        batch.Rewards[k] = rewards[slot];
        batch.Terminated[k] = terminated[slot];
        batch.Discounts[k] = discounts[slot];
        batch.Indices[k] = slot;
    }
}
