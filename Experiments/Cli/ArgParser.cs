namespace RlPlat.Experiments.Cli;

/// <summary>An option a command accepts: <c>--name VALUE</c> (or <c>--name=VALUE</c>), a flag when it takes no value.</summary>
internal sealed record OptionSpec(string Name, string? ValueName, string Help, bool Many = false)
{
    /// <summary>How the option appears in help: <c>--seeds LIST</c>.</summary>
    public string Synopsis => ValueName is null ? "--" + Name : Many ? $"--{Name} {ValueName}..." : $"--{Name} {ValueName}";
}

/// <summary>A command line that does not fit the command; the message is the one-line reason shown to the user.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>A parsed command line: positional arguments and option values.</summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> options = [];

    /// <summary>Arguments that are not options, in order.</summary>
    public List<string> Positionals { get; } = [];

    /// <summary>True when <c>--help</c> or <c>-h</c> was given.</summary>
    public bool Help { get; set; }

    /// <summary>True when the option was given.</summary>
    public bool Has(string name) => options.ContainsKey(name);

    /// <summary>The option's value, or null when it was not given.</summary>
    public string? Get(string name) => options.TryGetValue(name, out var v) && v.Count > 0 ? v[^1] : null;

    /// <summary>Every value given for a repeatable option.</summary>
    public IReadOnlyList<string> All(string name) => options.TryGetValue(name, out var v) ? v : [];

    internal List<string> Values(string name) => options.TryGetValue(name, out var v) ? v : options[name] = [];

    /// <summary>An integer option within bounds, or null when absent.</summary>
    public long? Long(string name, long min, long max)
    {
        if (Get(name) is not { } text) return null;
        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v))
            throw new UsageException($"--{name} expects an integer, got '{text}'");
        if (v < min || v > max) throw new UsageException($"--{name} {v} is out of range [{min}, {max}]");
        return v;
    }
}

/// <summary>Parses a command's arguments against its option list; unknown options get a "did you mean".</summary>
internal static class ArgParser
{
    /// <summary>Parses <paramref name="args"/> (after the command name).</summary>
    /// <exception cref="UsageException">An unknown option, or an option without its value.</exception>
    public static ParsedArgs Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs, string command)
    {
        var parsed = new ParsedArgs();
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h") { parsed.Help = true; continue; }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                parsed.Positionals.Add(arg);
                continue;
            }
            var name = arg[2..];
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) (name, inline) = (name[..eq], name[(eq + 1)..]);
            var spec = Find(specs, name) ?? throw new UsageException(
                $"{command}: unknown option '--{name}'{Config.DidYouMean.Hint("--" + name, Names(specs))}; see 'rlplat {command} --help'");
            var values = parsed.Values(spec.Name);
            if (spec.ValueName is null)
            {
                if (inline is not null) throw new UsageException($"{command}: --{name} takes no value, got '{inline}'");
                continue;
            }
            if (inline is not null) { values.Add(inline); continue; }
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"{command}: --{name} needs a value ({spec.ValueName})");
            values.Add(args[++i]);
            // A repeatable option takes every following argument up to the next option: --only a b c.
            while (spec.Many && i + 1 < args.Count && !args[i + 1].StartsWith("-", StringComparison.Ordinal)) values.Add(args[++i]);
        }
        return parsed;
    }

    private static OptionSpec? Find(IReadOnlyList<OptionSpec> specs, string name)
    {
        foreach (var s in specs) if (s.Name == name) return s;
        return null;
    }

    private static IEnumerable<string> Names(IReadOnlyList<OptionSpec> specs)
    {
        foreach (var s in specs) yield return "--" + s.Name;
    }
}
