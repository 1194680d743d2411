using RlPlat.Experiments.Cli;
using Spectre.Console;

namespace RlPlat.Experiments;

/// <summary>Entry point of the <c>rlplat</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line; see <see cref="ExitCodes"/> for what the result means.</summary>
    public static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        // First Ctrl+C asks runs to stop and flush; a second one ends the process at once.
        Console.CancelKeyPress += (_, e) =>
        {
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            Console.Error.WriteLine("rlplat: stopping (runs flush their metrics; Ctrl+C again to kill)");
            cancel.Cancel();
        };
        bool interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        return CommandLineApp.Run(args, new CommandIO(Console.Out, Console.Error, interactive), cancel.Token);
    }
}
