using System.Text;

namespace RlPlat.Experiments.Cli;

/// <summary>The <c>rlplat</c> command line: picks the subcommand, handles <c>--help</c>, maps errors to exit codes.</summary>
internal static class CommandLineApp
{
    private static readonly Command[] Commands =
        [new RunCommand(), new ListCommand(), new EvalCommand(), new ServeCommand(), new PlotCommand(), new BenchCommand()];

    /// <summary>Runs one command line and returns its exit code; every failure is one line on the error writer.</summary>
    public static int Run(IReadOnlyList<string> args, CommandIO io, CancellationToken cancel)
    {
        if (args.Count == 0)
        {
            io.Error.Write(GlobalHelp());
            return ExitCodes.Usage;
        }
        if (args[0] is "--help" or "-h" or "help")
        {
            io.Out.Write(GlobalHelp());
            return ExitCodes.Success;
        }
        var command = Array.Find(Commands, c => c.Name == args[0]);
        if (command is null)
        {
            io.Error.WriteLine($"rlplat: unknown command '{args[0]}'{Config.DidYouMean.Hint(args[0], Commands.Select(c => c.Name))}; commands: {string.Join(", ", Commands.Select(c => c.Name))} (rlplat --help)");
            return ExitCodes.Usage;
        }
        try
        {
            var parsed = ArgParser.Parse([.. args.Skip(1)], command.Options, command.Name);
            if (parsed.Help)
            {
                io.Out.Write(command.HelpText());
                return ExitCodes.Success;
            }
            return command.Execute(parsed, io, cancel);
        }
        catch (UsageException e)
        {
            io.Error.WriteLine($"rlplat {(e.Message.StartsWith(command.Name + ":", StringComparison.Ordinal) ? "" : command.Name + ": ")}{e.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            io.Error.WriteLine($"rlplat {command.Name}: interrupted");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>The list of commands.</summary>
    public static string GlobalHelp()
    {
        var text = new StringBuilder("usage: rlplat COMMAND [ARGS] [--help]\n\nRun reinforcement-learning experiments from YAML.\n\ncommands:\n");
        foreach (var c in Commands) text.Append("  ").Append(c.Name.PadRight(7)).Append(c.Summary).Append('\n');
        text.Append("\nexit codes: 0 success, 1 some runs failed, 2 bad command line, 3 invalid experiments file,\n")
            .Append("            4 needs a part this build lacks (named in the message), 130 interrupted (Ctrl+C)\n");
        return text.ToString();
    }
}
