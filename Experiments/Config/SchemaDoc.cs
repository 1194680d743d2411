using System.Globalization;
using System.Text;

namespace RlPlat.Experiments.Config;

/// <summary>The schema as Markdown tables (every key, type, default); README.md carries this text and a test keeps them equal.</summary>
public static class SchemaDoc
{
    /// <summary>Tables for the experiment keys, each section, each wrapper's arguments, and each algorithm's hyperparameters.</summary>
    public static string Markdown()
    {
        var md = new StringBuilder();
        Table(md, "Experiment keys (also allowed under `defaults`, except `name`)", ExperimentSchema.Experiment);
        Table(md, "`env`", ExperimentSchema.Env);
        Table(md, "`connector`", ExperimentSchema.Connector);
        Table(md, "`agent`", ExperimentSchema.Agent);
        Table(md, "`network`", ExperimentSchema.Network);
        Table(md, "`network.growth`", ExperimentSchema.Growth);
        Table(md, "`training`", ExperimentSchema.Training);
        Table(md, "`evaluation`", ExperimentSchema.Evaluation);
        Table(md, "`checkpoints`", ExperimentSchema.Checkpoints);
        foreach (var wrapper in WrapperTable.Names)
            if (WrapperTable.For(wrapper) is { Fields.Count: > 0 } args) Table(md, $"`args` of wrapper `{wrapper}`", args);
        foreach (var algorithm in HyperparameterTable.Algorithms)
            Table(md, $"`agent.hyperparameters` for `{algorithm}`", HyperparameterTable.For(algorithm));
        return md.ToString();
    }

    private static void Table(StringBuilder md, string title, MapSchema schema)
    {
        md.Append("**").Append(title).Append("**\n\n| key | type | default | meaning |\n|---|---|---|---|\n");
        foreach (var (key, node, required) in schema.Fields)
            md.Append(CultureInfo.InvariantCulture, $"| `{key}` | {node.TypeName.Replace("|", "\\|")} | {(required ? "required" : Format(node.Default))} | {node.Doc} |\n");
        md.Append('\n');
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        OrderedDictionary<string, object?> m when m.Count == 0 => "{}",
        OrderedDictionary<string, object?> => "(section defaults)",
        RawHyperparameters => "(algorithm's table)",
        List<object?> l => "[" + string.Join(", ", l.Select(Format)) + "]",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long n => n.ToString(CultureInfo.InvariantCulture),
        Schedule s => s.ToString(),
        _ => "`" + value + "`",
    };
}
