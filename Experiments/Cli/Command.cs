using System.Text;

namespace RlPlat.Experiments.Cli;

/// <summary>The exit codes of <c>rlplat</c>.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>One or more runs failed (the others completed); details in summary.json and report.md.</summary>
    public const int RunsFailed = 1;

    /// <summary>The command line is wrong (unknown command or option, bad value, missing file or folder).</summary>
    public const int Usage = 2;

    /// <summary>The experiments file (or a run's config.yaml) has errors; each is printed with file:line:column.</summary>
    public const int InvalidConfig = 3;

    /// <summary>The command needs a part another layer provides and that is not available in this build (named in the message).</summary>
    public const int Unavailable = 4;

    /// <summary>Ctrl+C stopped the command (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}

/// <summary>Where a command writes, and whether a person is watching (live display) or a log is (plain lines).</summary>
internal sealed record CommandIO(TextWriter Out, TextWriter Error, bool Interactive);

/// <summary>One <c>rlplat</c> subcommand: its help, its options, and what it does.</summary>
internal abstract class Command
{
    /// <summary>The word after <c>rlplat</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for the command list.</summary>
    public abstract string Summary { get; }

    /// <summary>The usage line, after <c>rlplat</c>.</summary>
    public abstract string Usage { get; }

    /// <summary>Options the command accepts.</summary>
    public abstract IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Paragraph after the options in <c>--help</c>.</summary>
    public virtual string Details => "";

    /// <summary>Does the work and returns an exit code (see <see cref="ExitCodes"/>).</summary>
    public abstract int Execute(ParsedArgs args, CommandIO io, CancellationToken cancel);

    /// <summary>The full <c>--help</c> text.</summary>
    public string HelpText()
    {
        var text = new StringBuilder();
        text.Append("usage: rlplat ").Append(Usage).Append("\n\n").Append(Summary).Append('\n');
        if (Options.Count > 0)
        {
            text.Append("\noptions:\n");
            int width = 0;
            foreach (var o in Options) width = Math.Max(width, o.Synopsis.Length);
            foreach (var o in Options) text.Append("  ").Append(o.Synopsis.PadRight(width + 2)).Append(o.Help).Append('\n');
            text.Append("  ").Append("--help".PadRight(width + 2)).Append("show this help\n");
        }
        if (Details.Length > 0) text.Append('\n').Append(Details.TrimEnd()).Append('\n');
        return text.ToString();
    }

    /// <summary>Fails with a usage error unless the positional count is in range.</summary>
    protected void ExpectPositionals(ParsedArgs args, int min, int max)
    {
        if (args.Positionals.Count < min) throw new UsageException($"{Name}: missing argument; usage: rlplat {Usage}");
        if (args.Positionals.Count > max)
            throw new UsageException($"{Name}: unexpected argument '{args.Positionals[max]}'; usage: rlplat {Usage}");
    }
}
