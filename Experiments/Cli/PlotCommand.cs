using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Cli;

/// <summary><c>rlplat plot</c>: re-renders learning curves from metrics.csv files.</summary>
internal sealed class PlotCommand : Command
{
    public override string Name => "plot";
    public override string Summary => "Re-render curve.png from metrics.csv for run, experiment or output folders.";
    public override string Usage => "plot RUN_DIR...";
    public override IReadOnlyList<OptionSpec> Options { get; } = [];
    public override string Details => """
        A RUN_DIR may be a run (runs/ppo-cartpole/0), an experiment (runs/ppo-cartpole: every seed plus the mean over seeds)
        or a whole output folder (runs). Exit codes: 0 curves written, 2 a folder is missing or holds no metrics.csv.
        """;

    public override int Execute(ParsedArgs args, CommandIO io, CancellationToken cancel)
    {
        ExpectPositionals(args, 1, int.MaxValue);
        foreach (var dir in args.Positionals)
            if (!Directory.Exists(dir)) throw new UsageException($"plot: folder '{dir}' does not exist");
        int written = 0;
        foreach (var dir in args.Positionals)
        {
            int before = written;
            if (RunFolder.IsRun(dir)) written += Report(RunFolder.RenderRunCurve(dir), dir, io);
            else if (RunFolder.RunsOf(dir).Count > 0) written += RenderExperiment(dir, io);
            else
                foreach (var sub in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
                    if (RunFolder.RunsOf(sub).Count > 0) written += RenderExperiment(sub, io);
            if (written == before) throw new UsageException($"plot: no metrics.csv with returns to plot under '{dir}'");
        }
        return ExitCodes.Success;
    }

    private static int RenderExperiment(string dir, CommandIO io)
    {
        int n = 0;
        foreach (var run in RunFolder.RunsOf(dir)) n += Report(RunFolder.RenderRunCurve(run), run, io);
        return n + Report(RunFolder.RenderExperimentCurve(dir), dir, io);
    }

    private static int Report(string? png, string dir, CommandIO io)
    {
        if (png is null)
        {
            io.Error.WriteLine($"plot: {dir}: metrics.csv has no episode_return or eval_return values; no curve");
            return 0;
        }
        io.Out.WriteLine($"wrote {png}");
        return 1;
    }
}
