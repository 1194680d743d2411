using System.Globalization;
using RlPlat.Experiments.Config;
using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Cli;

/// <summary><c>rlplat run</c>: checks the file, then trains every selected experiment and seed.</summary>
internal sealed class RunCommand : Command
{
    public override string Name => "run";
    public override string Summary => "Run the experiments of a YAML file (default: experiments.yaml), seeds in parallel.";
    public override string Usage => "run [FILE] [--only NAME...] [--seeds 0,1,2] [--steps N] [--device cpu|cuda] [--out DIR] [--resume] [--parallel N]";

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("only", "NAME", "run only these experiments (space- or comma-separated; put FILE before --only)", Many: true),
        new("seeds", "LIST", "comma-separated seeds, replacing each experiment's seeds"),
        new("steps", "N", "training budget in env steps, replacing training.total_steps"),
        new("device", "cpu|cuda", "device, replacing training.device"),
        new("out", "DIR", "output folder (default: runs)"),
        new("resume", null, "continue runs from their latest checkpoint; skip runs already completed"),
        new("parallel", "N", "runs trained at once (default: number of cores)"),
    ];

    public override string Details => """
        Writes runs/<experiment>/<seed>/{config.yaml, metrics.csv, events.jsonl, checkpoints/, summary.json, curve.png},
        runs/<experiment>/{summary.json, curve.png} over seeds, and runs/report.md.
        Exit codes: 0 all runs completed, 1 some failed, 2 bad command line, 3 invalid file, 4 an experiment's agent,
        connector, served env or device (cuda without a GPU) is not available, 130 interrupted (Ctrl+C; --resume continues).
        """;

    public override int Execute(ParsedArgs args, CommandIO io, CancellationToken cancel)
    {
        ExpectPositionals(args, 0, 1);
        var file = args.Positionals.Count == 1 ? args.Positionals[0] : "experiments.yaml";
        var experiments = ExperimentFileLoading.Load(file, io);
        if (experiments is null) return ExitCodes.InvalidConfig;

        var selected = Select(experiments, args);
        var seeds = args.Get("seeds") is { } s ? ParseSeeds(s) : null;
        long? steps = args.Long("steps", 1, long.MaxValue);
        var device = args.Get("device");
        if (device is not null && !ExperimentSchema.Devices.Contains(device))
            throw new UsageException($"run: --device '{device}' is not one of {string.Join(", ", ExperimentSchema.Devices)}");
        var runs = selected.ConvertAll(e => e.With(steps, device, seeds));
        int parallel = (int)(args.Long("parallel", 1, 1024) ?? Math.Max(1, Environment.ProcessorCount));

        // Everything an experiment needs must exist before anything runs: no half-finished batch for a missing agent.
        var missing = new List<string>();
        foreach (var d in runs.Select(e => e.Training.Device).Distinct())
            if (Devices.WhyUnavailable(d) is { } noDevice) missing.Add($"--device {d}: {noDevice}");
        foreach (var e in runs)
        {
            if (RunTargets.WhyUnavailable(e) is { } why) missing.Add($"{e.Name}: {why}");
            if (e.Connector?.Serve is not null && RemoteEnvHosting.WhyUnavailable is { } noServer) missing.Add($"{e.Name}: connector.serve: {noServer}");
        }
        if (missing.Count > 0)
        {
            foreach (var m in missing) io.Error.WriteLine($"rlplat run: {m}");
            return ExitCodes.Unavailable;
        }

        var outDir = args.Get("out") ?? "runs";
        int total = 0;
        foreach (var e in runs) total += e.Seeds.Count;
        io.Out.WriteLine($"rlplat run: {runs.Count} experiment(s), {total} run(s), {Math.Min(parallel, total)} at a time, output in {outDir}");
        IProgressView view = io.Interactive ? new LiveProgressView() : new PlainProgressView(io.Out, TimeSpan.FromSeconds(10));
        var runner = new ExperimentRunner(new RunOptions { OutDir = outDir, Resume = args.Has("resume"), MaxParallel = parallel }, view);
        var work = Task.Run(() => runner.Run(runs, cancel), CancellationToken.None);
        view.ShowUntil(work);
        var result = work.GetAwaiter().GetResult();

        foreach (var x in result.Experiments)
            io.Out.WriteLine($"{x.Experiment}: {x.Status} ({x.Completed}/{x.Seeds.Count} completed), final eval return {x.FinalEvalReturn?.ToString() ?? "-"}, train return {x.FinalTrainReturn?.ToString() ?? "-"}");
        io.Out.WriteLine($"wrote {result.ReportPath} and per-run outputs under {outDir}{Path.DirectorySeparatorChar}");
        if (cancel.IsCancellationRequested)
        {
            io.Error.WriteLine($"rlplat run: interrupted; {result.NotStarted} run(s) not started; 'rlplat run {file} --resume' continues");
            return ExitCodes.Interrupted;
        }
        if (result.Failed > 0)
        {
            io.Error.WriteLine($"rlplat run: {result.Failed} of {result.Runs.Count} run(s) failed; see {result.ReportPath}");
            return ExitCodes.Failed;
        }
        return ExitCodes.Success;
    }

    private static List<ResolvedExperiment> Select(IReadOnlyList<ResolvedExperiment> experiments, ParsedArgs args)
    {
        var names = new List<string>();
        foreach (var value in args.All("only"))
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) names.Add(part);
        if (names.Count == 0) return [.. experiments];
        var known = experiments.Select(e => e.Name).ToList();
        foreach (var n in names)
            if (!known.Contains(n))
                throw new UsageException($"run: --only '{n}' is not an experiment in the file{DidYouMean.Hint(n, known)}; experiments: {string.Join(", ", known)}");
        return experiments.Where(e => names.Contains(e.Name)).ToList();
    }

    internal static List<int> ParseSeeds(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                throw new UsageException($"run: --seeds expects comma-separated integers >= 0 (0,1,2), got '{part}' in '{text}'");
            if (seeds.Contains(seed)) throw new UsageException($"run: --seeds lists {seed} twice in '{text}'");
            seeds.Add(seed);
        }
        return seeds;
    }
}

/// <summary>Loads an experiments file for a command, printing every error in it.</summary>
internal static class ExperimentFileLoading
{
    /// <summary>The file's experiments, or null after printing its errors.</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    public static IReadOnlyList<ResolvedExperiment>? Load(string file, CommandIO io)
    {
        if (!File.Exists(file)) throw new UsageException($"experiments file '{file}' does not exist");
        try
        {
            return ExperimentFile.Load(file).Experiments;
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors) io.Error.WriteLine(error.ToString());
            io.Error.WriteLine($"rlplat: {file} has {e.Errors.Count} error(s); nothing was run");
            return null;
        }
    }
}
