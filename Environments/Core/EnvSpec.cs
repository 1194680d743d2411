namespace RlPlat.Environments;

/// <summary>A registration: how <c>Gym.Make</c> builds an env, as Gymnasium's <c>EnvSpec</c>.</summary>
/// <param name="Id">The registered name, e.g. "CartPole-v1".</param>
/// <param name="EntryPoint">Builds the bare env from the merged kwargs.</param>
/// <param name="MaxEpisodeSteps">Episode step limit enforced by <c>TimeLimit</c> (null: none).</param>
/// <param name="RewardThreshold">The return at which the task counts as solved.</param>
/// <param name="Nondeterministic">True when the same seed need not give the same episode.</param>
/// <param name="Kwargs">Default keyword arguments, overridden by those given to <c>Make</c>.</param>
/// <param name="OrderEnforce">Wrap in <c>OrderEnforcing</c> (step before reset is an error).</param>
/// <param name="DisableEnvChecker">Skip the <c>PassiveEnvChecker</c> wrapper.</param>
public sealed record EnvSpec(
    string Id,
    Func<IReadOnlyDictionary<string, object?>, IEnv> EntryPoint,
    int? MaxEpisodeSteps = null,
    double? RewardThreshold = null,
    bool Nondeterministic = false,
    IReadOnlyDictionary<string, object?>? Kwargs = null,
    bool OrderEnforce = true,
    bool DisableEnvChecker = false);
