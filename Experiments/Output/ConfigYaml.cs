using System.Globalization;
using RlPlat.Experiments.Config;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace RlPlat.Experiments.Output;

/// <summary>Writes a resolved experiment as YAML (the <c>config.yaml</c> of a run), keys in schema order, every default present.</summary>
public static class ConfigYaml
{
    /// <summary>The YAML text of <paramref name="experiment"/>; parsing it back gives the same experiment.</summary>
    public static string Write(ResolvedExperiment experiment)
    {
        var doc = new YamlDocument(ToNode(experiment.Values));
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.WriteLine($"# Resolved from {experiment.Source}: every default filled in.");
        new YamlStream(doc).Save(writer, assignAnchors: false);
        // YamlStream ends documents with "...", which is valid but noisy in a config file.
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    /// <summary>The YAML text of a whole file holding one experiment, loadable with <see cref="ExperimentFile.Parse"/>.</summary>
    public static string WriteAsFile(ResolvedExperiment experiment)
    {
        var root = new YamlMappingNode { { "experiments", new YamlSequenceNode(ToNode(experiment.Values)) } };
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static YamlNode ToNode(object? value)
    {
        switch (value)
        {
            case OrderedDictionary<string, object?> map:
                var m = new YamlMappingNode();
                foreach (var (k, v) in map) m.Add(k, ToNode(v));
                return m;
            case List<object?> list:
                var s = new YamlSequenceNode();
                foreach (var item in list) s.Add(ToNode(item));
                // Short lists of numbers read best inline: layers: [64, 64].
                if (list.TrueForAll(x => x is long or double)) s.Style = SequenceStyle.Flow;
                return s;
            case null: return new YamlScalarNode("null");
            case bool b: return new YamlScalarNode(b ? "true" : "false");
            case long l: return new YamlScalarNode(l.ToString(CultureInfo.InvariantCulture));
            case double d: return new YamlScalarNode(FormatDouble(d));
            case Schedule sc: return new YamlScalarNode(sc.IsConstant ? FormatDouble(sc.Start) : sc.ToString());
            case string str:
                // Quote strings that would read back as something else (numbers, booleans, null).
                bool plainIsOther = FreeMapSchema.Plain(new YamlScalarNode(str)) is not string || str.Length == 0;
                return new YamlScalarNode(str) { Style = plainIsOther || str.Contains(", ") ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
            default: return new YamlScalarNode(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Round-trip form; always has a '.' or exponent so it reads back as a float, not an integer.</summary>
    private static string FormatDouble(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') || s.Contains('e') ? s : s + ".0";
    }
}
