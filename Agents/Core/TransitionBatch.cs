namespace RlPlat.Agents;

/// <summary>
/// One step of a batch of envs, as the training loop hands it to <see cref="IAgent.Observe"/>. Arrays are row-major
/// [NumEnvs, size] and owned by the loop, which reuses them every step: copy what you keep.
/// <see cref="NextObservations"/> holds the true next observation: for an env whose episode ended it is the final
/// observation of that episode (needed to bootstrap on truncation), not the first observation of the next one.
/// </summary>
public sealed class TransitionBatch
{
    /// <summary>Allocates the arrays for <paramref name="numEnvs"/> envs.</summary>
    public TransitionBatch(int numEnvs, int observationSize, int actionSize, int actionCount = 0)
    {
        if (numEnvs <= 0 || observationSize <= 0 || actionSize <= 0)
            throw new ArgumentException($"TransitionBatch: numEnvs {numEnvs}, observationSize {observationSize} and actionSize {actionSize} must be positive.");
        NumEnvs = numEnvs;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Observations = new float[numEnvs * observationSize];
        NextObservations = new float[numEnvs * observationSize];
        Actions = new float[numEnvs * actionSize];
        Rewards = new float[numEnvs];
        Terminated = new bool[numEnvs];
        Truncated = new bool[numEnvs];
        if (actionCount > 0) NextActionMasks = new bool[numEnvs * actionCount];
    }

    /// <summary>Number of envs stepped together.</summary>
    public int NumEnvs { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>Observations the actions were chosen from, [NumEnvs, ObservationSize].</summary>
    public float[] Observations { get; }

    /// <summary>The actions taken, as the agent produced them (before clipping to the action space), [NumEnvs, ActionSize].</summary>
    public float[] Actions { get; }

    /// <summary>Rewards received, [NumEnvs].</summary>
    public float[] Rewards { get; }

    /// <summary>True where the episode reached a terminal state (no bootstrapping).</summary>
    public bool[] Terminated { get; }

    /// <summary>True where the episode was cut short (time limit): bootstrap from <see cref="NextObservations"/>.</summary>
    public bool[] Truncated { get; }

    /// <summary>True next observations (final observations where an episode ended), [NumEnvs, ObservationSize].</summary>
    public float[] NextObservations { get; }

    /// <summary>Valid-action masks for the next observations when the env provides them, [NumEnvs, ActionCount]; else null.</summary>
    public bool[]? NextActionMasks { get; }

    /// <summary>True when the episode of env <paramref name="env"/> ended this step.</summary>
    public bool Done(int env) => Terminated[env] || Truncated[env];
}
