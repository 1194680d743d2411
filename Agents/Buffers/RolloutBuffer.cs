using RlPlat.Engine;

namespace RlPlat.Agents.Buffers;

/// <summary>
/// On-policy storage for <c>NSteps</c> steps of <c>NumEnvs</c> envs (Stable-Baselines3's <c>RolloutBuffer</c>) with
/// generalized advantage estimation that tells the two ways an episode ends apart: a terminated step has no future
/// value, a truncated one (time limit) bootstraps from the value of its final observation.
/// Step-major layout: index <c>t * NumEnvs + e</c>.
/// </summary>
public sealed class RolloutBuffer
{
    private int pos;

    /// <summary>Allocates storage; <paramref name="actionCount"/> &gt; 0 also stores discrete action masks.</summary>
    public RolloutBuffer(int nSteps, int numEnvs, int observationSize, int actionSize, int actionCount = 0)
    {
        if (nSteps <= 0 || numEnvs <= 0 || observationSize <= 0 || actionSize <= 0)
            throw new ArgumentException($"RolloutBuffer: nSteps {nSteps}, numEnvs {numEnvs}, observationSize {observationSize}, actionSize {actionSize} must all be positive.");
        NSteps = nSteps;
        NumEnvs = numEnvs;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        ActionCount = actionCount;
        int n = nSteps * numEnvs;
        Observations = new float[n * observationSize];
        Actions = new float[n * actionSize];
        Rewards = new float[n];
        Values = new float[n];
        LogProbs = new float[n];
        Terminated = new bool[n];
        Truncated = new bool[n];
        TruncatedValues = new float[n];
        Advantages = new float[n];
        Returns = new float[n];
        if (actionCount > 0) ActionMasks = new bool[n * actionCount];
    }

    /// <summary>Steps per env in one rollout.</summary>
    public int NSteps { get; }

    /// <summary>Envs stepped together.</summary>
    public int NumEnvs { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>Discrete actions per mask row (0: no masks stored).</summary>
    public int ActionCount { get; }

    /// <summary>Transitions held when full (<c>NSteps * NumEnvs</c>).</summary>
    public int Capacity => NSteps * NumEnvs;

    /// <summary>Steps added since the last <see cref="Reset"/>.</summary>
    public int StepsStored => pos;

    /// <summary>True when NSteps steps have been added.</summary>
    public bool IsFull => pos == NSteps;

    /// <summary>[n, ObservationSize] observations.</summary>
    public float[] Observations { get; }

    /// <summary>[n, ActionSize] actions.</summary>
    public float[] Actions { get; }

    /// <summary>[n] rewards.</summary>
    public float[] Rewards { get; }

    /// <summary>[n] value estimates V(s_t) made when acting.</summary>
    public float[] Values { get; }

    /// <summary>[n] log-probabilities of the actions when acting.</summary>
    public float[] LogProbs { get; }

    /// <summary>[n] the episode terminated at this step.</summary>
    public bool[] Terminated { get; }

    /// <summary>[n] the episode was truncated at this step.</summary>
    public bool[] Truncated { get; }

    /// <summary>[n] V(final observation) where the step was truncated.</summary>
    public float[] TruncatedValues { get; }

    /// <summary>[n] GAE advantages, after <see cref="ComputeReturnsAndAdvantages"/>.</summary>
    public float[] Advantages { get; }

    /// <summary>[n] value targets (advantages + values).</summary>
    public float[] Returns { get; }

    /// <summary>[n, ActionCount] valid-action masks, or null.</summary>
    public bool[]? ActionMasks { get; }

    /// <summary>Empties the buffer for the next rollout.</summary>
    public void Reset() => pos = 0;

    /// <summary>
    /// Adds one step of every env. <paramref name="truncatedValues"/> holds V(final observation) for envs whose
    /// episode was truncated (ignored elsewhere); <paramref name="actionMasks"/> may be empty.
    /// </summary>
    public void Add(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, ReadOnlySpan<float> rewards,
        ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated, ReadOnlySpan<float> values, ReadOnlySpan<float> logProbs,
        ReadOnlySpan<float> truncatedValues, ReadOnlySpan<bool> actionMasks = default)
    {
        if (pos == NSteps) throw new InvalidOperationException($"RolloutBuffer.Add: the buffer is full ({NSteps} steps); call Reset after learning.");
        Check(observations.Length, NumEnvs * ObservationSize, "observations");
        Check(actions.Length, NumEnvs * ActionSize, "actions");
        Check(rewards.Length, NumEnvs, "rewards");
        Check(terminated.Length, NumEnvs, "terminated");
        Check(truncated.Length, NumEnvs, "truncated");
        Check(values.Length, NumEnvs, "values");
        Check(logProbs.Length, NumEnvs, "logProbs");
        Check(truncatedValues.Length, NumEnvs, "truncatedValues");
        int row = pos * NumEnvs;
        observations.CopyTo(Observations.AsSpan(row * ObservationSize));
        actions.CopyTo(Actions.AsSpan(row * ActionSize));
        rewards.CopyTo(Rewards.AsSpan(row));
        terminated.CopyTo(Terminated.AsSpan(row));
        truncated.CopyTo(Truncated.AsSpan(row));
        values.CopyTo(Values.AsSpan(row));
        logProbs.CopyTo(LogProbs.AsSpan(row));
        truncatedValues.CopyTo(TruncatedValues.AsSpan(row));
        if (ActionMasks != null)
        {
            if (actionMasks.IsEmpty) ActionMasks.AsSpan(row * ActionCount, NumEnvs * ActionCount).Fill(true);
            else
            {
                Check(actionMasks.Length, NumEnvs * ActionCount, "actionMasks");
                actionMasks.CopyTo(ActionMasks.AsSpan(row * ActionCount));
            }
        }
        pos++;
    }

    /// <summary>
    /// GAE(gamma, lambda) backwards over the rollout. <paramref name="lastValues"/> is V of the observation each env
    /// will act from next. For each step: next value = 0 when terminated, V(final obs) when truncated, else V(s_{t+1});
    /// delta = r + gamma * next value - V(s_t); the advantage recursion restarts at any episode end.
    /// </summary>
    public void ComputeReturnsAndAdvantages(ReadOnlySpan<float> lastValues, double gamma, double gaeLambda)
    {
        if (pos != NSteps) throw new InvalidOperationException($"RolloutBuffer: only {pos} of {NSteps} steps were added.");
        Check(lastValues.Length, NumEnvs, "lastValues");
        for (int e = 0; e < NumEnvs; e++)
        {
            double nextAdvantage = 0;
            double nextValue = lastValues[e];
            for (int t = NSteps - 1; t >= 0; t--)
            {
                int i = t * NumEnvs + e;
                double bootstrap;
                bool done = Terminated[i] || Truncated[i];
                if (Terminated[i]) bootstrap = 0;
                else if (Truncated[i]) bootstrap = TruncatedValues[i];
                else bootstrap = nextValue;
                double delta = Rewards[i] + gamma * bootstrap - Values[i];
                double advantage = delta + (done ? 0 : gamma * gaeLambda * nextAdvantage);
                Advantages[i] = (float)advantage;
                Returns[i] = (float)(advantage + Values[i]);
                nextAdvantage = advantage;
                nextValue = Values[i];
            }
        }
    }

    /// <summary>The steps stored so far as bytes, for a checkpoint taken in the middle of a rollout.</summary>
    public byte[] Save()
    {
        using var stream = new MemoryStream();
        var w = BufferCodec.Begin(stream, "ROLL");
        w.Write(NSteps);
        w.Write(NumEnvs);
        w.Write(ObservationSize);
        w.Write(ActionSize);
        w.Write(ActionCount);
        w.Write(pos);
        int rows = pos * NumEnvs;
        BufferCodec.Write<float>(w, Observations.AsSpan(0, rows * ObservationSize));
        BufferCodec.Write<float>(w, Actions.AsSpan(0, rows * ActionSize));
        BufferCodec.Write<float>(w, Rewards.AsSpan(0, rows));
        BufferCodec.Write<float>(w, Values.AsSpan(0, rows));
        BufferCodec.Write<float>(w, LogProbs.AsSpan(0, rows));
        BufferCodec.Write<bool>(w, Terminated.AsSpan(0, rows));
        BufferCodec.Write<bool>(w, Truncated.AsSpan(0, rows));
        BufferCodec.Write<float>(w, TruncatedValues.AsSpan(0, rows));
        if (ActionMasks != null) BufferCodec.Write<bool>(w, ActionMasks.AsSpan(0, rows * ActionCount));
        w.Flush();
        return stream.ToArray();
    }

    /// <summary>A buffer holding the steps <see cref="Save"/> wrote.</summary>
    public static RolloutBuffer Load(byte[] bytes)
    {
        const string what = "RolloutBuffer.Load";
        using var r = BufferCodec.Open(bytes, "ROLL", what);
        var b = new RolloutBuffer(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
        int stored = r.ReadInt32();
        if (stored < 0 || stored > b.NSteps) throw new ArgumentException($"{what}: {stored} steps stored, outside 0..{b.NSteps}.");
        int rows = stored * b.NumEnvs;
        BufferCodec.Read<float>(r, b.Observations.AsSpan(0, rows * b.ObservationSize), what);
        BufferCodec.Read<float>(r, b.Actions.AsSpan(0, rows * b.ActionSize), what);
        BufferCodec.Read<float>(r, b.Rewards.AsSpan(0, rows), what);
        BufferCodec.Read<float>(r, b.Values.AsSpan(0, rows), what);
        BufferCodec.Read<float>(r, b.LogProbs.AsSpan(0, rows), what);
        BufferCodec.Read<bool>(r, b.Terminated.AsSpan(0, rows), what);
        BufferCodec.Read<bool>(r, b.Truncated.AsSpan(0, rows), what);
        BufferCodec.Read<float>(r, b.TruncatedValues.AsSpan(0, rows), what);
        if (b.ActionMasks != null) BufferCodec.Read<bool>(r, b.ActionMasks.AsSpan(0, rows * b.ActionCount), what);
        b.pos = stored;
        return b;
    }

    /// <summary>Fills <paramref name="indices"/> with a random permutation of 0..Capacity-1 (Fisher-Yates).</summary>
    public void Shuffle(int[] indices, Generator rng)
    {
        Check(indices.Length, Capacity, "indices");
        for (int i = 0; i < indices.Length; i++) indices[i] = i;
        for (int i = indices.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
    }

    /// <summary>Copies rows <paramref name="indices"/> of a [n, width] array into <paramref name="destination"/>.</summary>
    public static void GatherRows<T>(T[] source, int width, ReadOnlySpan<int> indices, Span<T> destination)
    {
        for (int k = 0; k < indices.Length; k++)
            source.AsSpan(indices[k] * width, width).CopyTo(destination.Slice(k * width, width));
    }

    private static void Check(int got, int expected, string what)
    {
        if (got != expected) throw new ArgumentException($"RolloutBuffer: {what} has {got} values, expected {expected}.");
    }
}
