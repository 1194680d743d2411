namespace RlPlat.Experiments.Config;

/// <summary>
/// The environments layer's wrappers that YAML can name, with their arguments (Gymnasium's names), checked like every
/// other key: unknown arguments, wrong types and missing required ones are reported with line and column.
/// </summary>
public static class WrapperTable
{
    private static readonly OrderedDictionary<string, MapSchema> Args = new()
    {
        ["TimeLimit"] = new MapSchema().Require("max_episode_steps", new IntSchema(1, null), "steps after which an episode is truncated"),
        ["RecordEpisodeStatistics"] = new MapSchema().Add("buffer_length", new IntSchema(1, null, 100), "episodes kept in the return/length queues"),
        ["ClipAction"] = new MapSchema(),
        ["RescaleAction"] = new MapSchema()
            .Require("min_action", new FloatSchema(), "lower bound the agent acts in")
            .Require("max_action", new FloatSchema(), "upper bound the agent acts in"),
        ["NormalizeObservation"] = new MapSchema().Add("epsilon", new FloatSchema(0, null, 1e-8, exclusiveMin: true), "added to the variance"),
        ["NormalizeReward"] = new MapSchema()
            .Add("gamma", new FloatSchema(0, 1, 0.99), "discount of the return whose spread scales rewards")
            .Add("epsilon", new FloatSchema(0, null, 1e-8, exclusiveMin: true), "added to the variance"),
        ["ClipReward"] = new MapSchema()
            .Add("min_reward", new NullableSchema(new FloatSchema()), "lower bound (null: none)")
            .Add("max_reward", new NullableSchema(new FloatSchema()), "upper bound (null: none)"),
        ["FlattenObservation"] = new MapSchema(),
        ["FrameStackObservation"] = new MapSchema()
            .Require("stack_size", new IntSchema(1, null), "observations stacked")
            .Add("padding", new StringSchema("reset", ["reset", "zero"]), "what fills the stack after a reset"),
    };

    /// <summary>The wrapper names, in documentation order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Args.Keys];

    /// <summary>The argument schema of a built-in wrapper, or null for a custom type.</summary>
    public static MapSchema? For(string name) => Args.TryGetValue(name, out var schema) ? schema : null;

    /// <summary>Wrappers that change rewards: left off evaluation envs, so evaluation returns are in the env's own units.</summary>
    public static bool ChangesRewards(string name) => name is "NormalizeReward" or "ClipReward";
}
