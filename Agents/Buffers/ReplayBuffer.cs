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

    /// <summary>
    /// The buffer as bytes for a checkpoint: every transition when <paramref name="maxTransitions"/> &gt;= <see cref="Count"/>
    /// (then <see cref="Load"/> restores it exactly, slots and write position included), else only the newest
    /// <paramref name="maxTransitions"/>, oldest first (0: an empty buffer).
    /// </summary>
    public byte[] Save(int maxTransitions = int.MaxValue)
    {
        if (maxTransitions < 0) throw new ArgumentException($"ReplayBuffer.Save: maxTransitions {maxTransitions} must be >= 0.", nameof(maxTransitions));
        int k = Math.Min(maxTransitions, Count);
        var slots = new int[k];
        // All of them: slot order as stored. A part: the newest k, oldest first, written to slots 0..k-1 on load.
        for (int i = 0; i < k; i++) slots[i] = k == Count ? i : (next - k + i + Capacity) % Capacity;
        using var stream = new MemoryStream();
        var w = BufferCodec.Begin(stream, "RPLB");
        w.Write(Capacity);
        w.Write(ObservationSize);
        w.Write(ActionSize);
        w.Write(k);
        w.Write(k == Count ? next : k % Capacity);
        foreach (int slot in slots)
        {
            BufferCodec.Write<float>(w, observations.AsSpan(slot * ObservationSize, ObservationSize));
            BufferCodec.Write<float>(w, nextObservations.AsSpan(slot * ObservationSize, ObservationSize));
            BufferCodec.Write<float>(w, actions.AsSpan(slot * ActionSize, ActionSize));
            w.Write(rewards[slot]);
            w.Write(terminated[slot]);
            w.Write(discounts[slot]);
        }
        SaveSlots(w, slots);
        w.Flush();
        return stream.ToArray();
    }

    /// <summary>Replaces the contents with what <see cref="Save"/> wrote; capacity and sizes must match.</summary>
    public void Load(byte[] bytes)
    {
        const string what = "ReplayBuffer.Load";
        using var r = BufferCodec.Open(bytes, "RPLB", what);
        BufferCodec.Expect(r, Capacity, "capacity", what);
        BufferCodec.Expect(r, ObservationSize, "observation size", what);
        BufferCodec.Expect(r, ActionSize, "action size", what);
        int count = r.ReadInt32(), position = r.ReadInt32();
        if (count < 0 || count > Capacity || position < 0 || position >= Capacity)
            throw new ArgumentException($"{what}: saved count {count} and position {position} do not fit capacity {Capacity}.");
        for (int slot = 0; slot < count; slot++)
        {
            BufferCodec.Read<float>(r, observations.AsSpan(slot * ObservationSize, ObservationSize), what);
            BufferCodec.Read<float>(r, nextObservations.AsSpan(slot * ObservationSize, ObservationSize), what);
            BufferCodec.Read<float>(r, actions.AsSpan(slot * ActionSize, ActionSize), what);
            rewards[slot] = r.ReadSingle();
            terminated[slot] = r.ReadSingle();
            discounts[slot] = r.ReadSingle();
        }
        Count = count;
        next = position;
        LoadSlots(r, count);
    }

    /// <summary>Adds per-slot data of a subclass (priorities) to <see cref="Save"/>, for <paramref name="slots"/> in saved order.</summary>
    protected virtual void SaveSlots(BinaryWriter writer, ReadOnlySpan<int> slots) { }

    /// <summary>Reads what <see cref="SaveSlots"/> wrote; saved slot i is now slot i.</summary>
    protected virtual void LoadSlots(BinaryReader reader, int count) { }

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
