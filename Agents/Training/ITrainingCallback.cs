namespace RlPlat.Agents.Training;

/// <summary>
/// Hooks the training loop calls; every method has an empty default, so a callback implements only what it needs.
/// This is also how a runner receives metrics: episode ends, learn metrics (losses, entropy, lr...), and the step count.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Before the first step.</summary>
    void OnTrainingStart(TrainingContext context) { }

    /// <summary>After each batch step (NumEnvs env steps), after any learning it triggered.</summary>
    void OnStep(TrainingContext context) { }

    /// <summary>When an episode of a training env ends.</summary>
    void OnEpisodeEnd(TrainingContext context, EpisodeResult episode) { }

    /// <summary>After each <see cref="IAgent.Learn"/>, with its metrics.</summary>
    void OnLearn(TrainingContext context, IReadOnlyDictionary<string, double> metrics) { }

    /// <summary>After the last step (also when stopped early).</summary>
    void OnTrainingEnd(TrainingContext context) { }
}

/// <summary>What callbacks see of a training run; <see cref="RequestStop"/> ends it after the current step.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(IAgent agent, EnvBatch envs, long totalTimesteps)
    {
        Agent = agent;
        Envs = envs;
        TotalTimesteps = totalTimesteps;
    }

    /// <summary>The agent being trained.</summary>
    public IAgent Agent { get; }

    /// <summary>The training envs.</summary>
    public EnvBatch Envs { get; }

    /// <summary>The step budget of this run.</summary>
    public long TotalTimesteps { get; }

    /// <summary>Env steps so far (the agent's count).</summary>
    public long NumTimesteps => Agent.NumTimesteps;

    /// <summary>Env steps taken by the previous batch step (the count before the current step).</summary>
    public long PreviousTimesteps { get; internal set; }

    /// <summary>Episodes finished so far.</summary>
    public int Episodes { get; internal set; }

    /// <summary>Calls to Learn so far.</summary>
    public int Updates { get; internal set; }

    /// <summary>Why the run stopped early, or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Asks the loop to stop after the current step.</summary>
    public void RequestStop(string reason) => StopReason ??= reason;

    /// <summary>True when the step count crossed a multiple of <paramref name="every"/> during the last step.</summary>
    public bool Crossed(long every) => every > 0 && NumTimesteps / every != PreviousTimesteps / every;
}
