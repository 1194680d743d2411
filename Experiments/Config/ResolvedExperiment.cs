namespace RlPlat.Experiments.Config;

/// <summary>
/// One experiment with every default filled in and every value checked: what a run target receives.
/// <see cref="Values"/> is the same data as an ordered tree; it is what <c>config.yaml</c> holds.
/// </summary>
public sealed class ResolvedExperiment
{
    /// <summary>Unique name; the run folder under the output directory.</summary>
    public required string Name { get; init; }

    /// <summary>The registered environment, or null when the experiment uses a connector.</summary>
    public required EnvSettings? Env { get; init; }

    /// <summary>The connector, or null when the experiment uses a registered environment.</summary>
    public required ConnectorSettings? Connector { get; init; }

    /// <summary>Parallel environments.</summary>
    public required int NEnvs { get; init; }

    /// <summary>Wrappers, applied in order.</summary>
    public required IReadOnlyList<WrapperSettings> Wrappers { get; init; }

    /// <summary>What learns and with which hyperparameters.</summary>
    public required AgentSettings Agent { get; init; }

    /// <summary>The policy/value network.</summary>
    public required NetworkSettings Network { get; init; }

    /// <summary>The training budget and device.</summary>
    public required TrainingSettings Training { get; init; }

    /// <summary>Periodic evaluation.</summary>
    public required EvaluationSettings Evaluation { get; init; }

    /// <summary>Periodic checkpoints.</summary>
    public required CheckpointSettings Checkpoints { get; init; }

    /// <summary>Seeds; each runs separately.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>Also write TensorBoard event files.</summary>
    public bool TensorBoard { get; init; }

    /// <summary>The whole experiment as an ordered tree of plain values (the resolved <c>config.yaml</c>).</summary>
    public required OrderedDictionary<string, object?> Values { get; init; }

    /// <summary>Where the experiment is defined, as <c>file:line</c>, for messages.</summary>
    public string Source { get; init; } = "";

    /// <summary>What the experiment learns on, for tables: the env id or the connector type.</summary>
    public string Target => Env?.Id ?? Connector!.Type;

    /// <summary>The algorithm name or the custom type, for tables.</summary>
    public string AgentName => Agent.Algorithm ?? Agent.Type!;

    /// <summary>
    /// A copy with command-line overrides applied (null leaves a value as is); the overrides show in <see cref="Values"/>.
    /// </summary>
    public ResolvedExperiment With(long? totalSteps = null, string? device = null, IReadOnlyList<int>? seeds = null)
    {
        var values = DeepCopy(Values);
        var training = (OrderedDictionary<string, object?>)values["training"]!;
        if (totalSteps is { } steps)
        {
            if (steps < 1) throw new ArgumentException($"total steps must be >= 1, got {steps}", nameof(totalSteps));
            training["total_steps"] = steps;
        }
        if (device is not null)
        {
            if (!ExperimentSchema.Devices.Contains(device))
                throw new ArgumentException($"device '{device}' is not one of {string.Join(", ", ExperimentSchema.Devices)}", nameof(device));
            training["device"] = device;
        }
        if (seeds is not null)
        {
            if (seeds.Count == 0) throw new ArgumentException("the seed list is empty", nameof(seeds));
            var list = new List<object?>(seeds.Count);
            foreach (var s in seeds)
            {
                if (s < 0) throw new ArgumentException($"seeds must be >= 0, got {s}", nameof(seeds));
                list.Add((long)s);
            }
            values["seeds"] = list;
        }
        return FromValues(values, Source);
    }

    /// <summary>Builds the typed view of a checked, complete value tree.</summary>
    internal static ResolvedExperiment FromValues(OrderedDictionary<string, object?> v, string source)
    {
        var agent = Map(v["agent"]);
        var network = Map(v["network"]);
        var training = Map(v["training"]);
        var evaluation = Map(v["evaluation"]);
        var checkpoints = Map(v["checkpoints"]);
        var wrappers = new List<WrapperSettings>();
        foreach (var w in (List<object?>)v["wrappers"]!) wrappers.Add(new WrapperSettings((string)Map(w)["name"]!, Map(Map(w)["args"])));
        var layers = new List<int>();
        foreach (var l in (List<object?>)network["layers"]!) layers.Add(checked((int)(long)l!));
        var seeds = new List<int>();
        foreach (var s in (List<object?>)v["seeds"]!) seeds.Add(checked((int)(long)s!));
        return new ResolvedExperiment
        {
            Name = (string)v["name"]!,
            Env = v["env"] is { } env ? new EnvSettings((string)Map(env)["id"]!, Map(Map(env)["kwargs"])) : null,
            Connector = v["connector"] is { } c ? new ConnectorSettings((string)Map(c)["type"]!, Map(Map(c)["options"]), (string?)Map(c)["serve"], (string?)Map(c)["assembly"]) : null,
            NEnvs = (int)(long)v["n_envs"]!,
            Wrappers = wrappers,
            Agent = new AgentSettings((string?)agent["algorithm"], (string?)agent["type"], new Hyperparameters(Map(agent["hyperparameters"]), (string?)agent["algorithm"] ?? (string)agent["type"]!), (string?)agent["assembly"]),
            Network = new NetworkSettings(layers, (string)network["activation"]!, network["growth"] is { } g ? GrowthSettings.From(Map(g)) : null),
            Training = new TrainingSettings((long)training["total_steps"]!, (string)training["device"]!, (long)training["log_every_steps"]!),
            Evaluation = new EvaluationSettings((long)evaluation["every_steps"]!, (int)(long)evaluation["episodes"]!, (bool)evaluation["deterministic"]!),
            Checkpoints = new CheckpointSettings((long)checkpoints["every_steps"]!, (int)(long)checkpoints["keep"]!, checkpoints["replay_buffer"] switch
            {
                "none" => 0,
                long n => checked((int)n),
                _ => int.MaxValue,
            }),
            Seeds = seeds,
            TensorBoard = (bool)v["tensorboard"]!,
            Values = v,
            Source = source,
        };
    }

    private static OrderedDictionary<string, object?> Map(object? value) => (OrderedDictionary<string, object?>)value!;

    private static OrderedDictionary<string, object?> DeepCopy(OrderedDictionary<string, object?> map)
    {
        var copy = new OrderedDictionary<string, object?>();
        foreach (var (k, v) in map) copy[k] = DeepCopyValue(v);
        return copy;
    }

    private static object? DeepCopyValue(object? value) => value switch
    {
        OrderedDictionary<string, object?> m => DeepCopy(m),
        List<object?> l => l.ConvertAll(DeepCopyValue),
        _ => value,
    };
}

/// <summary>A registered environment and its constructor arguments.</summary>
public sealed record EnvSettings(string Id, IReadOnlyDictionary<string, object?> Kwargs);

/// <summary>A connector, its options, the env the runner serves in-process for it (or null), and the .dll of a custom type (or null).</summary>
public sealed record ConnectorSettings(string Type, IReadOnlyDictionary<string, object?> Options, string? Serve, string? Assembly = null);

/// <summary>A wrapper name (or type) and its arguments.</summary>
public sealed record WrapperSettings(string Name, IReadOnlyDictionary<string, object?> Args);

/// <summary>A built-in algorithm or a custom type (with the .dll that holds it, or null), with its checked hyperparameters.</summary>
public sealed record AgentSettings(string? Algorithm, string? Type, Hyperparameters Hyperparameters, string? Assembly = null);

/// <summary>Hidden layer sizes, activation and an optional growth schedule.</summary>
public sealed record NetworkSettings(IReadOnlyList<int> Layers, string Activation, GrowthSettings? Growth);

/// <summary>How a network grows while it trains.</summary>
public sealed record GrowthSettings(string Trigger, long EverySteps, int Patience, int AddUnits, int AddLayers, int MaxUnits, int MaxLayers)
{
    internal static GrowthSettings From(OrderedDictionary<string, object?> g) => new(
        (string)g["trigger"]!, (long)g["every_steps"]!, (int)(long)g["patience"]!, (int)(long)g["add_units"]!,
        (int)(long)g["add_layers"]!, (int)(long)g["max_units"]!, (int)(long)g["max_layers"]!);
}

/// <summary>The training budget (env steps, summed over envs), device, and metric cadence.</summary>
public sealed record TrainingSettings(long TotalSteps, string Device, long LogEverySteps);

/// <summary>Evaluate every <c>EverySteps</c> (0 = only at the end) over <c>Episodes</c> episodes.</summary>
public sealed record EvaluationSettings(long EverySteps, int Episodes, bool Deterministic);

/// <summary>
/// Checkpoint every <c>EverySteps</c> (0 = only at the end), keeping the last <c>Keep</c>, with the newest
/// <c>ReplayTransitions</c> of a replay buffer (<see cref="int.MaxValue"/>: all, 0: none).
/// </summary>
public sealed record CheckpointSettings(long EverySteps, int Keep, int ReplayTransitions = int.MaxValue);

/// <summary>Checked hyperparameters with typed access; every key of the algorithm's table is present.</summary>
public sealed class Hyperparameters(IReadOnlyDictionary<string, object?> values, string owner)
{
    /// <summary>All values by name (long, double, bool, string, <see cref="Schedule"/> or null).</summary>
    public IReadOnlyDictionary<string, object?> Values => values;

    /// <summary>An integer hyperparameter.</summary>
    public long Int(string name) => Get(name) is long l ? l : throw Wrong(name, "an integer");

    /// <summary>A real hyperparameter (integers are widened; a constant schedule gives its value).</summary>
    public double Float(string name) => Get(name) switch
    {
        double d => d,
        long l => l,
        Schedule { IsConstant: true } s => s.Start,
        _ => throw Wrong(name, "a number"),
    };

    /// <summary>A boolean hyperparameter.</summary>
    public bool Bool(string name) => Get(name) is bool b ? b : throw Wrong(name, "a boolean");

    /// <summary>A schedule hyperparameter (a plain number is a constant schedule).</summary>
    public Schedule Schedule(string name) => Get(name) switch
    {
        Schedule s => s,
        double d => Config.Schedule.Constant(d),
        long l => Config.Schedule.Constant(l),
        _ => throw Wrong(name, "a schedule"),
    };

    /// <summary>A hyperparameter as stored (null where the table allows null).</summary>
    public object? Get(string name)
        => values.TryGetValue(name, out var v)
            ? v
            : throw new ArgumentException($"{owner} has no hyperparameter '{name}'{DidYouMean.Hint(name, values.Keys)}", nameof(name));

    private InvalidOperationException Wrong(string name, string expected)
        => new($"{owner} hyperparameter '{name}' is {values[name] ?? "null"}, not {expected}");
}
