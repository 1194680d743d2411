using RlPlat.Agents;

namespace RlPlat.Experiments.Running;

/// <summary>
/// The agent of one run as the trainer sees it. It logs every action batch (<see cref="ActionLog"/>, for env replay on
/// resume) and gives schedules the fraction left of the whole run's budget: the trainer counts from where its call
/// started, which after a resume is not where the run started. With both, a resumed run continues exactly.
/// </summary>
public sealed class RecordedAgent(IAgent inner, long totalSteps, ActionLog log) : IAgent
{
    /// <summary>The agent that learns.</summary>
    public IAgent Inner { get; } = inner;

    /// <summary>The actions sent to the training envs so far.</summary>
    public ActionLog Log { get; } = log;

    /// <inheritdoc />
    public AgentSpaces Spaces => Inner.Spaces;

    /// <inheritdoc />
    public long NumTimesteps => Inner.NumTimesteps;

    /// <inheritdoc />
    public bool ReadyToLearn => Inner.ReadyToLearn;

    /// <inheritdoc />
    public void Act(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic, ReadOnlySpan<bool> actionMasks = default)
        => Inner.Act(observations, batch, actions, deterministic, actionMasks);

    /// <inheritdoc />
    public void Observe(TransitionBatch transitions)
    {
        Log.Append(transitions.Actions);
        Inner.Observe(transitions);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Learn() => Inner.Learn();

    /// <inheritdoc />
    public void SetProgressRemaining(double progressRemaining)
        => Inner.SetProgressRemaining(1.0 - (double)Inner.NumTimesteps / totalSteps);

    /// <inheritdoc />
    public PolicyWeights GetWeights() => Inner.GetWeights();

    /// <inheritdoc />
    public void SetWeights(PolicyWeights weights) => Inner.SetWeights(weights);

    /// <inheritdoc />
    public AgentState GetState() => Inner.GetState();

    /// <inheritdoc />
    public void SetState(AgentState state) => Inner.SetState(state);
}
