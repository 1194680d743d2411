using MessagePack;

namespace RlPlat.Agents;

/// <summary>
/// A run of consecutive <see cref="TransitionBatch"/> steps as one plain, MessagePack-serializable value: what an actor
/// on another machine would ship to a learner. <see cref="Replay"/> feeds it to an agent as if the steps happened here.
/// </summary>
[MessagePackObject]
public sealed class TrajectoryFragment
{
    /// <summary>Envs per step.</summary>
    [Key(0)] public int NumEnvs { get; set; }

    /// <summary>Floats per observation.</summary>
    [Key(1)] public int ObservationSize { get; set; }

    /// <summary>Floats per action.</summary>
    [Key(2)] public int ActionSize { get; set; }

    /// <summary>Steps held.</summary>
    [Key(3)] public int Steps { get; set; }

    /// <summary>[Steps, NumEnvs, ObservationSize] observations.</summary>
    [Key(4)] public List<float> Observations { get; set; } = [];

    /// <summary>[Steps, NumEnvs, ActionSize] actions.</summary>
    [Key(5)] public List<float> Actions { get; set; } = [];

    /// <summary>[Steps, NumEnvs] rewards.</summary>
    [Key(6)] public List<float> Rewards { get; set; } = [];

    /// <summary>[Steps, NumEnvs] terminated flags.</summary>
    [Key(7)] public List<bool> Terminated { get; set; } = [];

    /// <summary>[Steps, NumEnvs] truncated flags.</summary>
    [Key(8)] public List<bool> Truncated { get; set; } = [];

    /// <summary>[Steps, NumEnvs, ObservationSize] true next observations.</summary>
    [Key(9)] public List<float> NextObservations { get; set; } = [];

    /// <summary>Appends one step (copied).</summary>
    public void Append(TransitionBatch t)
    {
        if (Steps == 0)
        {
            NumEnvs = t.NumEnvs;
            ObservationSize = t.ObservationSize;
            ActionSize = t.ActionSize;
        }
        else if (t.NumEnvs != NumEnvs || t.ObservationSize != ObservationSize || t.ActionSize != ActionSize)
            throw new ArgumentException($"TrajectoryFragment.Append: step has {t.NumEnvs} envs x {t.ObservationSize} obs x {t.ActionSize} act, fragment has {NumEnvs} x {ObservationSize} x {ActionSize}.");
        Observations.AddRange(t.Observations);
        Actions.AddRange(t.Actions);
        Rewards.AddRange(t.Rewards);
        Terminated.AddRange(t.Terminated);
        Truncated.AddRange(t.Truncated);
        NextObservations.AddRange(t.NextObservations);
        Steps++;
    }

    /// <summary>Hands every step to <paramref name="observe"/> in order, through one reused <see cref="TransitionBatch"/>.</summary>
    public void Replay(Action<TransitionBatch> observe)
    {
        if (Steps == 0) return;
        var t = new TransitionBatch(NumEnvs, ObservationSize, ActionSize);
        int o = NumEnvs * ObservationSize, a = NumEnvs * ActionSize;
        for (int s = 0; s < Steps; s++)
        {
            Observations.CopyTo(s * o, t.Observations, 0, o);
            NextObservations.CopyTo(s * o, t.NextObservations, 0, o);
            Actions.CopyTo(s * a, t.Actions, 0, a);
            Rewards.CopyTo(s * NumEnvs, t.Rewards, 0, NumEnvs);
            Terminated.CopyTo(s * NumEnvs, t.Terminated, 0, NumEnvs);
            Truncated.CopyTo(s * NumEnvs, t.Truncated, 0, NumEnvs);
            observe(t);
        }
    }

    /// <summary>MessagePack bytes.</summary>
    public byte[] ToBytes() => MessagePackSerializer.Serialize(this);

    /// <summary>Reads what <see cref="ToBytes"/> wrote.</summary>
    public static TrajectoryFragment FromBytes(byte[] bytes) => MessagePackSerializer.Deserialize<TrajectoryFragment>(bytes);
}
