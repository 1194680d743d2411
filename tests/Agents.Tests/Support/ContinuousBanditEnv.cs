using RlPlat.Environments;

namespace RlPlat.Agents.Tests.Support;

/// <summary>
/// A one-step continuous bandit: the observation is always [1], the action a in [-1, 1]; reward -(a - Target)^2 and the
/// episode terminates. The optimal deterministic action is <c>Target</c>.
/// </summary>
public sealed class ContinuousBanditEnv(float target = 0.5f) : Env<float[], float[]>
{
    private readonly float[] observation = [1f];

    public override Space ObservationSpace { get; } = new Box(-1, 1, [1]);

    public override Space ActionSpace { get; } = new Box(-1, 1, [1]);

    protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options) => (observation, new Info());

    public override StepResult<float[]> Step(float[] action) =>
        new(observation, -(action[0] - target) * (action[0] - target), true, false, Info.Empty);
}
