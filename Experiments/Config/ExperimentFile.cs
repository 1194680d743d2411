using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RlPlat.Experiments.Config;

/// <summary>
/// A checked experiments file: <c>defaults</c> merged into each experiment, every default filled in.
/// Loading checks the whole file and reports every error at once, each with its line and column.
/// </summary>
public sealed class ExperimentFile
{
    private static readonly string[] TopLevelKeys = ["defaults", "experiments"];

    /// <summary>The path the file was read from (or the name given to <see cref="Parse"/>).</summary>
    public string Path { get; }

    /// <summary>The experiments, in file order.</summary>
    public IReadOnlyList<ResolvedExperiment> Experiments { get; }

    private ExperimentFile(string path, IReadOnlyList<ResolvedExperiment> experiments)
    {
        Path = path;
        Experiments = experiments;
    }

    /// <summary>Reads and checks a file.</summary>
    /// <exception cref="ConfigException">The file has errors (all of them are listed).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static ExperimentFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"experiments file '{path}' does not exist", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Checks YAML text; <paramref name="fileName"/> is what errors are reported against.</summary>
    /// <exception cref="ConfigException">The text has errors (all of them are listed).</exception>
    public static ExperimentFile Parse(string yaml, string fileName)
    {
        var reader = new ConfigReader(fileName);
        var root = LoadMapping(yaml, fileName, "expected a mapping with an 'experiments' list (and optional 'defaults')");

        YamlNode? defaultsNode = null, experimentsNode = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (key == "defaults") defaultsNode = value;
            else if (key == "experiments") experimentsNode = value;
            else reader.Error(keyNode, $"unknown top-level key '{key}'{DidYouMean.Hint(key ?? "", TopLevelKeys)}; expected {string.Join(", ", TopLevelKeys)}");
        }

        var defaults = ReadDefaults(defaultsNode, reader);
        var experiments = new List<ResolvedExperiment>();
        if (experimentsNode is null) reader.Error(root, "missing required key 'experiments'");
        else if (experimentsNode is not YamlSequenceNode seq) reader.Error(experimentsNode, $"experiments: expected a list, got {SchemaNode.Describe(experimentsNode)}");
        else
        {
            var names = new Dictionary<string, YamlNode>();
            for (int i = 0; i < seq.Children.Count; i++)
            {
                var item = seq.Children[i];
                int before = reader.Errors.Count;
                var values = ReadExperiment(item, $"experiments[{i}]", defaults, reader);
                if (values is null) continue;
                if (values["name"] is string name && ((YamlMappingNode)item).Children.TryGetValue(new YamlScalarNode("name"), out var nameNode))
                {
                    if (names.TryGetValue(name, out var first))
                        reader.Error(nameNode, $"experiments[{i}].name: '{name}' is already used at line {first.Start.Line}; names must be unique");
                    else names[name] = nameNode;
                }
                if (reader.Errors.Count == before)
                    experiments.Add(ResolvedExperiment.FromValues(values, $"{fileName}:{item.Start.Line}"));
            }
            if (seq.Children.Count == 0) reader.Error(seq, "experiments: the list is empty; add at least one experiment");
        }
        if (reader.Errors.Count > 0) throw new ConfigException([.. reader.Errors]);
        return new ExperimentFile(fileName, experiments);
    }

    /// <summary>
    /// Checks one experiment mapping on its own, as a run's <c>config.yaml</c> holds it (no defaults section).
    /// </summary>
    /// <exception cref="ConfigException">The text has errors (all of them are listed).</exception>
    public static ResolvedExperiment ParseExperiment(string yaml, string fileName)
    {
        var reader = new ConfigReader(fileName);
        var root = LoadMapping(yaml, fileName, "expected an experiment mapping (name, env or connector, agent, ...)");
        var values = ReadExperiment(root, "experiment", [], reader);
        if (reader.Errors.Count > 0 || values is null) throw new ConfigException([.. reader.Errors]);
        return ResolvedExperiment.FromValues(values, $"{fileName}:{root.Start.Line}");
    }

    /// <summary>Reads a run's resolved <c>config.yaml</c>.</summary>
    public static ResolvedExperiment LoadExperiment(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"run config '{path}' does not exist", path);
        return ParseExperiment(File.ReadAllText(path), path);
    }

    private static YamlMappingNode LoadMapping(string yaml, string fileName, string expected)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            // A syntax error leaves nothing to check further; report where the parser stopped.
            var message = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            throw new ConfigException([new ConfigError(fileName, (int)e.Start.Line, (int)e.Start.Column, "YAML syntax: " + message)]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            throw new ConfigException([new ConfigError(fileName, (int)(at?.Start.Line ?? 1), (int)(at?.Start.Column ?? 1), expected)]);
        }
        return root;
    }

    private static OrderedDictionary<string, object?> ReadDefaults(YamlNode? node, ConfigReader reader)
    {
        if (node is null || SchemaNode.IsNull(node)) return [];
        if (node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("name"), out _))
        {
            var nameKey = m.Children.Keys.First(k => k is YamlScalarNode { Value: "name" });
            reader.Error(nameKey, "defaults.name: an experiment name cannot have a default; give each experiment its own");
        }
        reader.Partial = true;
        try { return ExperimentSchema.Experiment.Read(node, "defaults", reader, new HashSet<string> { "name" }); }
        finally { reader.Partial = false; }
    }

    /// <summary>Reads one experiment, merges the defaults under it, completes it and runs the checks that span keys.</summary>
    private static OrderedDictionary<string, object?>? ReadExperiment(YamlNode item, string path, OrderedDictionary<string, object?> defaults, ConfigReader reader)
    {
        if (item is not YamlMappingNode)
        {
            reader.Error(item, $"{path}: expected an experiment mapping, got {SchemaNode.Describe(item)}");
            return null;
        }
        int errorsBefore = reader.Errors.Count;
        reader.Partial = true;
        OrderedDictionary<string, object?> own;
        try { own = ExperimentSchema.Experiment.Read(item, path, reader, new HashSet<string>()); }
        finally { reader.Partial = false; }

        var values = ExperimentSchema.Experiment.Complete(Merge(defaults, own, topLevel: true), path, item, reader);
        ResolveAgent((OrderedDictionary<string, object?>)values["agent"]!, path, item, reader);
        // Checks that span keys only make sense on valid keys; on invalid ones they would repeat the same mistake.
        if (reader.Errors.Count == errorsBefore) CheckAcrossKeys(values, path, item, reader);
        return values;
    }

    /// <summary>Merges <paramref name="over"/> onto <paramref name="under"/>: mappings merge key by key, anything else is replaced.</summary>
    private static OrderedDictionary<string, object?> Merge(OrderedDictionary<string, object?> under, OrderedDictionary<string, object?> over, bool topLevel)
    {
        var result = new OrderedDictionary<string, object?>(under);
        // An experiment that names its own env or connector replaces the default source, whichever kind that is.
        if (topLevel && over.ContainsKey("env")) result.Remove("connector");
        if (topLevel && over.ContainsKey("connector")) result.Remove("env");
        foreach (var (key, value) in over)
        {
            result[key] = (result.GetValueOrDefault(key), value) switch
            {
                (OrderedDictionary<string, object?> a, OrderedDictionary<string, object?> b) => Merge(a, b, false),
                (RawHyperparameters a, RawHyperparameters b) => new RawHyperparameters([.. a.Layers, .. b.Layers]),
                _ => value,
            };
        }
        return result;
    }

    /// <summary>Checks the agent's choice and replaces its raw hyperparameters with the algorithm's checked, complete table.</summary>
    private static void ResolveAgent(OrderedDictionary<string, object?> agent, string path, YamlNode at, ConfigReader reader)
    {
        var algorithm = agent["algorithm"] as string;
        var type = agent["type"] as string;
        if (algorithm is null && type is null)
            reader.Error(at, $"{path}.agent: give an algorithm ({string.Join(", ", HyperparameterTable.Algorithms)}) or a type");
        if (algorithm is not null && type is not null)
            reader.Error(at, $"{path}.agent: give either algorithm ('{algorithm}') or type ('{type}'), not both");

        var raw = (RawHyperparameters)agent["hyperparameters"]!;
        OrderedDictionary<string, object?> values;
        if (algorithm is not null && HyperparameterTable.Algorithms.Contains(algorithm) && type is null)
        {
            var table = HyperparameterTable.For(algorithm);
            values = HyperparameterTable.Defaults(algorithm);
            reader.Partial = true;
            try
            {
                // The path leaves out the experiment so that a shared defaults entry is reported once per algorithm.
                foreach (var layer in raw.Layers)
                    foreach (var (k, v) in table.Read(layer, $"agent.hyperparameters ({algorithm})", reader, new HashSet<string>()))
                        values[k] = v;
            }
            finally { reader.Partial = false; }
        }
        else
        {
            // A custom agent's hyperparameters are its own business: passed through as plain values.
            values = [];
            foreach (var layer in raw.Layers)
                foreach (var (k, v) in (OrderedDictionary<string, object?>)FreeMapSchema.Plain(layer)!)
                    values[k] = v;
        }
        agent["hyperparameters"] = values;
    }

    private static void CheckAcrossKeys(OrderedDictionary<string, object?> v, string path, YamlNode at, ConfigReader reader)
    {
        var connector = v["connector"] as OrderedDictionary<string, object?>;
        if (v["env"] is null && connector is null) reader.Error(at, $"{path}: give an env (env.id) or a connector");
        if (v["env"] is not null && connector is not null) reader.Error(at, $"{path}: give either env or connector, not both");
        if (connector?["serve"] is string serve && connector["type"] is string ctype && !ExperimentSchema.RemoteConnectors.Contains(ctype))
            reader.Error(at, $"{path}.connector.serve: '{serve}' can only be served for a remote connector ({string.Join(", ", ExperimentSchema.RemoteConnectors)}), not '{ctype}'");

        var network = (OrderedDictionary<string, object?>)v["network"]!;
        if (network["growth"] is OrderedDictionary<string, object?> growth)
        {
            long widest = 0;
            foreach (var l in (List<object?>)network["layers"]!) widest = Math.Max(widest, (long)l!);
            if ((long)growth["max_units"]! < widest)
                reader.Error(at, $"{path}.network.growth.max_units: {growth["max_units"]} is below the widest layer ({widest})");
            if ((long)growth["add_units"]! == 0 && (long)growth["add_layers"]! == 0)
                reader.Error(at, $"{path}.network.growth: add_units and add_layers are both 0, so the network would never grow");
            if ((long)growth["max_layers"]! < ((List<object?>)network["layers"]!).Count)
                reader.Error(at, $"{path}.network.growth.max_layers: {growth["max_layers"]} is below the current layer count ({((List<object?>)network["layers"]!).Count})");
        }

        var seen = new HashSet<long>();
        foreach (var s in (List<object?>)v["seeds"]!)
            if (s is long seed && !seen.Add(seed)) reader.Error(at, $"{path}.seeds: seed {seed} is listed twice");

        var agent = (OrderedDictionary<string, object?>)v["agent"]!;
        if (agent["algorithm"] is "ppo" && agent["hyperparameters"] is OrderedDictionary<string, object?> hp
            && hp.GetValueOrDefault("batch_size") is long batch && hp.GetValueOrDefault("n_steps") is long nSteps
            && batch > nSteps * (long)v["n_envs"]!)
            reader.Error(at, $"{path}.agent.hyperparameters.batch_size: {batch} exceeds the rollout size n_steps * n_envs = {nSteps * (long)v["n_envs"]!}");
    }
}
