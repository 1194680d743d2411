using YamlDotNet.RepresentationModel;

namespace RlPlat.Experiments.Config;

/// <summary>Collects the errors found while reading one file, each tied to the YAML node it is about.</summary>
internal sealed class ConfigReader(string file)
{
    private readonly List<ConfigError> errors = [];
    private readonly HashSet<(int, int, string)> seen = [];

    /// <summary>
    /// True while reading a part that other parts complete (an experiment and its defaults): maps keep only the keys
    /// present, so a merge can tell given values from defaults; <see cref="MapSchema.Complete"/> fills the rest.
    /// </summary>
    public bool Partial { get; set; }

    /// <summary>The file name errors are reported against.</summary>
    public string File { get; } = file;

    /// <summary>Errors so far, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors
    {
        get
        {
            // Stable: errors at the same place keep the order they were found in.
            var order = new Dictionary<ConfigError, int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < errors.Count; i++) order[errors[i]] = i;
            errors.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column != b.Column ? a.Column.CompareTo(b.Column) : order[a].CompareTo(order[b]));
            return errors;
        }
    }

    /// <summary>Records an error at the start of <paramref name="node"/>.</summary>
    public void Error(YamlNode node, string message) => Error((int)node.Start.Line, (int)node.Start.Column, message);

    /// <summary>Records an error at a position; a defaults node shared by several experiments reports each problem once.</summary>
    public void Error(int line, int column, string message)
    {
        if (seen.Add((line, column, message))) errors.Add(new ConfigError(File, line, column, message));
    }
}
