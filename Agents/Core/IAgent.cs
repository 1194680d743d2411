namespace RlPlat.Agents;

/// <summary>
/// The one interface every agent implements: act, observe transitions, learn, and save/load its whole state.
/// Acting (<see cref="Act"/>) and learning (<see cref="Observe"/> + <see cref="Learn"/>) only meet through plain data
/// (<see cref="TransitionBatch"/>, <see cref="PolicyWeights"/>), so they can later run on different machines.
/// </summary>
public interface IAgent
{
    /// <summary>The observation and action layout this agent was built for.</summary>
    AgentSpaces Spaces { get; }

    /// <summary>Env steps observed so far (summed over envs).</summary>
    long NumTimesteps { get; }

    /// <summary>
    /// Chooses actions for a batch of observations ([batch, ObservationSize]) into <paramref name="actions"/>
    /// ([batch, ActionSize]). <paramref name="actionMasks"/> ([batch, ActionCount], discrete only; empty for none) marks
    /// the valid actions: an invalid action is never chosen.
    /// </summary>
    void Act(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic, ReadOnlySpan<bool> actionMasks = default);

    /// <summary>Records one step of every env; called right after the <see cref="Act"/> that chose its actions.</summary>
    void Observe(TransitionBatch transitions);

    /// <summary>True when <see cref="Learn"/> has work to do (a full rollout, a train-frequency boundary).</summary>
    bool ReadyToLearn { get; }

    /// <summary>Updates the agent from what it has observed and returns the update's metrics (losses, entropy, lr...).</summary>
    IReadOnlyDictionary<string, double> Learn();

    /// <summary>Tells the agent the fraction of training left (1 at the start, 0 at the end), for schedules.</summary>
    void SetProgressRemaining(double progressRemaining);

    /// <summary>The acting policy's parameters, as a whole (for shipping to actors).</summary>
    PolicyWeights GetWeights();

    /// <summary>Replaces the acting policy's parameters as a whole; shapes must match.</summary>
    void SetWeights(PolicyWeights weights);

    /// <summary>Everything needed to resume: networks, optimizer moments, normalization statistics, counters, RNG state.</summary>
    AgentState GetState();

    /// <summary>Restores what <see cref="GetState"/> returned.</summary>
    void SetState(AgentState state);
}
