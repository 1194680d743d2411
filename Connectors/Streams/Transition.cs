using RlPlat.Environments;

namespace RlPlat.Connectors.Streams;

/// <summary>
/// One timestamped event of an environment stream: either the first observation of an episode (<see cref="IsReset"/>)
/// or the result of one step. The observation is the stream's own copy, safe to keep.
/// </summary>
/// <param name="Timestamp">When the event happened, on the stream's scheduler clock.</param>
/// <param name="Index">Position of the event in its stream, from 0.</param>
/// <param name="Episode">Episode number, from 0; a reset starts the next one.</param>
/// <param name="Observation">The observation (a copy, owned by this transition).</param>
/// <param name="Action">The action that led here; default for a reset event.</param>
/// <param name="Reward">Reward of the step (0 for a reset event).</param>
/// <param name="Terminated">The episode ended in a terminal state.</param>
/// <param name="Truncated">The episode was cut short (time limit, lost source).</param>
/// <param name="IsReset">True for the first observation of an episode.</param>
/// <param name="Info">The info the env returned with this observation.</param>
public sealed record Transition<TObs, TAction>(
    DateTimeOffset Timestamp,
    long Index,
    long Episode,
    TObs Observation,
    TAction? Action,
    double Reward,
    bool Terminated,
    bool Truncated,
    bool IsReset,
    Info Info)
{
    /// <summary>True when the episode ended for either reason.</summary>
    public bool Done => Terminated || Truncated;
}
