namespace RlPlat.Environments;

/// <summary>A registration: how <c>Gym.Make</c> builds an env, as Gymnasium's <c>EnvSpec</c>.</summary>
public sealed record EnvSpec(
    string Id,
    Func<IReadOnlyDictionary<string, object?>, IEnv> EntryPoint,
    int? MaxEpisodeSteps = null,
    double? RewardThreshold = null,
    bool Nondeterministic = false,
    IReadOnlyDictionary<string, object?>? Kwargs = null);
