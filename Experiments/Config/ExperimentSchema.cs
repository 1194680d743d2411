using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace RlPlat.Experiments.Config;

/// <summary>The schema of one experiment in <c>experiments.yaml</c>: every key, its type, range and default.</summary>
public static partial class ExperimentSchema
{
    /// <summary>Connectors built into the connectors layer, chosen by name; anything else is a type name.</summary>
    public static readonly IReadOnlyList<string> Connectors = ["tcp", "websocket", "sensor-stream", "replay", "web"];

    /// <summary>Connectors that talk to a remote env server, which the runner can start in-process (<c>connector.serve</c>).</summary>
    public static readonly IReadOnlyList<string> RemoteConnectors = ["tcp", "websocket"];

    /// <summary>Gymnasium's wrappers that the environments layer provides by name (<see cref="WrapperTable"/>); anything else is a type name.</summary>
    public static IReadOnlyList<string> Wrappers => WrapperTable.Names;

    /// <summary>Activation functions a network may use.</summary>
    public static readonly IReadOnlyList<string> Activations = ["tanh", "relu", "elu", "leaky_relu", "gelu", "sigmoid", "silu"];

    /// <summary>Devices a run may train on.</summary>
    public static readonly IReadOnlyList<string> Devices = ["cpu", "cuda"];

    /// <summary>An experiment name: it becomes a folder name, so letters, digits, '.', '_' and '-' only.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    internal static partial Regex NamePattern();

    /// <summary>Gymnasium's env id form: optional namespace/, name, optional -vN.</summary>
    [GeneratedRegex(@"^(?:[\w:.-]+/)?[\w:.-]+?(?:-v\d+)?$")]
    internal static partial Regex EnvIdPattern();

    /// <summary>A .NET type name qualified by its assembly: <c>Namespace.Type, Assembly</c>.</summary>
    [GeneratedRegex(@"^[A-Za-z_][\w.+`]*\.[\w+`]+\s*,\s*[\w.]+$")]
    internal static partial Regex TypeNamePattern();

    /// <summary>An env id (as in <c>Gym.Make</c>).</summary>
    public static StringSchema EnvId() => new(pattern: EnvIdPattern(), patternName: "env id (Name-vN)");

    /// <summary>The <c>env</c> section: a registered environment.</summary>
    public static readonly MapSchema Env = new MapSchema()
        .Require("id", EnvId(), "registered env id, as in Gym.Make (CartPole-v1)")
        .Add("kwargs", new FreeMapSchema(), "keyword arguments passed to the env's constructor");

    /// <summary>The <c>connector</c> section: an environment behind a connector.</summary>
    public static readonly MapSchema Connector = new MapSchema()
        .Require("type", new NameOrTypeSchema(Connectors, "connector"), $"{string.Join(", ", Connectors)}, or a type 'Namespace.Type, Assembly'")
        .Add("options", new FreeMapSchema(), "connector options (host, port, rate, ...), passed as is")
        .Add("serve", new NullableSchema(EnvId()), "env id the runner serves in-process for a tcp/websocket connector (its port goes into options.port)")
        .Add("assembly", new NullableSchema(new StringSchema()), "path of the .dll that holds a connector type (else: loaded assemblies, next to rlplat, the working folder)");

    /// <summary>The <c>agent</c> section; its hyperparameters are checked against the algorithm's table.</summary>
    public static readonly MapSchema Agent = new MapSchema()
        .Add("algorithm", new NullableSchema(new StringSchema(allowed: HyperparameterTable.Algorithms)), "built-in algorithm: " + string.Join(", ", HyperparameterTable.Algorithms))
        .Add("type", new NullableSchema(new StringSchema(pattern: TypeNamePattern(), patternName: "type name 'Namespace.Type, Assembly'")), "custom IAgent or IRunTarget type 'Namespace.Type, Assembly' (instead of algorithm)")
        .Add("hyperparameters", new HyperparametersSchema(), "rl-zoo names; see the per-algorithm table")
        .Add("assembly", new NullableSchema(new StringSchema()), "path of the .dll that holds type (else: loaded assemblies, next to rlplat, the working folder)");

    /// <summary>The <c>network.growth</c> section: how the network grows while it trains.</summary>
    public static readonly MapSchema Growth = new MapSchema()
        .Add("trigger", new StringSchema("steps", ["steps", "plateau"]), "grow every every_steps (steps) or when the return stops improving (plateau)")
        .Add("every_steps", new IntSchema(1, null, 10_000), "steps between growth checks")
        .Add("patience", new IntSchema(1, null, 3), "checks without improvement before a plateau grows the network")
        .Add("add_units", new IntSchema(0, null, 16), "units added to each hidden layer per growth")
        .Add("add_layers", new IntSchema(0, null, 0), "hidden layers added per growth")
        .Add("max_units", new IntSchema(1, null, 256), "upper bound on units per hidden layer")
        .Add("max_layers", new IntSchema(1, null, 4), "upper bound on hidden layers");

    /// <summary>The <c>network</c> section.</summary>
    public static readonly MapSchema Network = new MapSchema()
        .Add("layers", new ListSchema(new IntSchema(1, null), 1, [64L, 64L]), "hidden layer sizes")
        .Add("activation", new StringSchema("tanh", Activations), "hidden activation")
        .Add("growth", new NullableSchema(Growth), "growth schedule; null = fixed structure");

    /// <summary>The <c>training</c> section.</summary>
    public static readonly MapSchema Training = new MapSchema()
        .Add("total_steps", new IntSchema(1, null, 100_000), "env steps to train for (summed over envs)")
        .Add("device", new StringSchema("cpu", Devices), "where the networks run")
        .Add("log_every_steps", new IntSchema(1, null, 1_000), "steps between metric rows");

    /// <summary>The <c>evaluation</c> section.</summary>
    public static readonly MapSchema Evaluation = new MapSchema()
        .Add("every_steps", new IntSchema(0, null, 10_000), "steps between evaluations; 0 = only at the end")
        .Add("episodes", new IntSchema(1, null, 10), "episodes per evaluation")
        .Add("deterministic", new BoolSchema(true), "act greedily while evaluating");

    /// <summary>The <c>checkpoints</c> section.</summary>
    public static readonly MapSchema Checkpoints = new MapSchema()
        .Add("every_steps", new IntSchema(0, null, 50_000), "steps between checkpoints; 0 = only at the end")
        .Add("keep", new IntSchema(1, null, 2), "checkpoints kept (older ones are deleted)")
        .Add("replay_buffer", new ReplayPartSchema(), "replay buffer in each checkpoint: full (exact resume), none, or the newest N transitions");

    /// <summary>One experiment; <c>defaults</c> has the same keys except <c>name</c>.</summary>
    public static readonly MapSchema Experiment = new MapSchema()
        .Require("name", new StringSchema(pattern: NamePattern(), patternName: "experiment name (letters, digits, '.', '_', '-')"), "unique name; the run folder")
        .Add("env", new NullableSchema(Env), "the environment (or give connector)")
        .Add("connector", new NullableSchema(Connector), "an environment behind a connector (or give env)")
        .Add("n_envs", new IntSchema(1, 4096, 1), "parallel envs (vector env)")
        .Add("wrappers", new ListSchema(new WrapperSchema()), "wrappers applied in order: a name or {name, args}")
        .Require("agent", Agent, "what learns")
        .Add("network", Network, "policy/value network")
        .Add("training", Training, "training budget")
        .Add("evaluation", Evaluation, "periodic evaluation")
        .Add("checkpoints", Checkpoints, "periodic checkpoints")
        .Add("seeds", new ListSchema(new IntSchema(0, int.MaxValue), 1, [0L]), "seeds; each runs separately")
        .Add("tensorboard", new BoolSchema(false), "also write TensorBoard event files (tfevents) under the run's tensorboard/ folder");
}

/// <summary>A built-in name from a list, or a type name <c>Namespace.Type, Assembly</c>.</summary>
public sealed class NameOrTypeSchema(IReadOnlyList<string> names, string what) : SchemaNode
{
    /// <inheritdoc/>
    public override string TypeName => $"{string.Join(", ", names)} or 'Namespace.Type, Assembly'";

    /// <inheritdoc/>
    public override object? Default => null;

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (ScalarText(node, path, $"a {what} name", reader) is not { } text) return null;
        if (!names.Contains(text) && !ExperimentSchema.TypeNamePattern().IsMatch(text))
            reader.Error(node, $"{path}: unknown {what} '{text}'; expected {TypeName}{DidYouMean.Hint(text, names)}");
        return text;
    }
}

/// <summary>A wrapper: a name, or <c>{name, args}</c>; read as <c>{name, args}</c> either way.</summary>
public sealed class WrapperSchema : SchemaNode
{
    private static readonly MapSchema Full = new MapSchema()
        .Require("name", new NameOrTypeSchema(ExperimentSchema.Wrappers, "wrapper"), "wrapper name or type")
        .Add("args", new FreeMapSchema(), "wrapper arguments");

    /// <inheritdoc/>
    public override string TypeName => "wrapper name or {name, args}";

    /// <inheritdoc/>
    public override object? Default => null;

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        // Wrappers are complete in themselves, whatever mode the rest of the experiment is read in.
        bool partial = reader.Partial;
        reader.Partial = false;
        try
        {
            if (node is YamlScalarNode)
            {
                var name = Full.Field("name")!.Read(node, path, reader);
                return new OrderedDictionary<string, object?> { ["name"] = name, ["args"] = ReadArgs(name as string, null, node, path, reader) ?? [] };
            }
            var read = (OrderedDictionary<string, object?>)Full.Read(node, path, reader)!;
            YamlNode? argsNode = null;
            if (node is YamlMappingNode m)
                foreach (var (k, v) in m.Children)
                    if (k is YamlScalarNode { Value: "args" }) argsNode = v;
            read["args"] = ReadArgs(read["name"] as string, argsNode, node, path, reader) ?? read["args"];
            return read;
        }
        finally { reader.Partial = partial; }
    }

    /// <summary>A built-in wrapper's arguments checked against its table (defaults filled in); null for a custom type.</summary>
    private static OrderedDictionary<string, object?>? ReadArgs(string? name, YamlNode? argsNode, YamlNode at, string path, ConfigReader reader)
    {
        if (name is null || WrapperTable.For(name) is not { } schema) return null;
        var args = argsNode is null || IsNull(argsNode)
            ? schema.Complete([], $"{path}.args ({name})", at, reader)
            : schema.Read(argsNode, $"{path}.args ({name})", reader, new HashSet<string>());
        if (name == "ClipReward" && args["min_reward"] is null && args["max_reward"] is null)
            reader.Error(argsNode ?? at, $"{path}.args (ClipReward): give min_reward, max_reward or both");
        return args;
    }
}

/// <summary>
/// The raw hyperparameter mappings of an experiment and its defaults; they are checked once the algorithm is known,
/// which may come from either.
/// </summary>
public sealed class HyperparametersSchema : SchemaNode
{
    /// <inheritdoc/>
    public override string TypeName => "mapping (per algorithm)";

    /// <inheritdoc/>
    public override object? Default => new RawHyperparameters([]);

    internal override object? Read(YamlNode node, string path, ConfigReader reader)
    {
        if (node is YamlMappingNode m) return new RawHyperparameters([m]);
        if (!IsNull(node)) reader.Error(node, $"{path}: expected a mapping, got {Describe(node)}");
        return Default;
    }
}

/// <summary>Hyperparameter mappings not yet checked; later ones override earlier ones.</summary>
public sealed record RawHyperparameters(IReadOnlyList<YamlMappingNode> Layers);
