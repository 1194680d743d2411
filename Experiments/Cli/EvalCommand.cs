using RlPlat.Experiments.Config;
using RlPlat.Experiments.Output;
using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Cli;

/// <summary><c>rlplat eval</c>: plays episodes with a run's latest checkpoint, optionally recording a GIF.</summary>
internal sealed class EvalCommand : Command
{
    /// <summary>The evaluation results file written into the run folder.</summary>
    public const string EvalFile = "eval.json";

    public override string Name => "eval";
    public override string Summary => "Evaluate a run's latest checkpoint over episodes; optionally record the first episode as a GIF.";
    public override string Usage => "eval RUN_DIR [--episodes N] [--render OUT.gif] [--stochastic]";

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("episodes", "N", "episodes to play (default: the experiment's evaluation.episodes)"),
        new("render", "OUT.gif", "record the first episode as an animated GIF"),
        new("stochastic", null, "sample actions instead of acting greedily"),
    ];

    public override string Details => """
        Reads RUN_DIR/config.yaml and RUN_DIR/checkpoints, writes RUN_DIR/eval.json (returns, lengths, mean, std).
        Exit codes: 0 done, 2 RUN_DIR is not a run with a checkpoint or an option is bad, 3 its config.yaml is invalid,
        4 no evaluator in this build (the agents layer provides it).
        """;

    public override int Execute(ParsedArgs args, CommandIO io, CancellationToken cancel)
    {
        ExpectPositionals(args, 1, 1);
        var runDir = args.Positionals[0];
        if (!Directory.Exists(runDir)) throw new UsageException($"eval: run folder '{runDir}' does not exist");
        var configPath = Path.Combine(runDir, RunFolder.ConfigFile);
        if (!File.Exists(configPath)) throw new UsageException($"eval: '{runDir}' is not a run folder (no {RunFolder.ConfigFile}); expected runs/<experiment>/<seed>");
        ResolvedExperiment experiment;
        try { experiment = ExperimentFile.LoadExperiment(configPath); }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors) io.Error.WriteLine(error.ToString());
            return ExitCodes.InvalidConfig;
        }
        var checkpoint = new CheckpointStore(Path.Combine(runDir, RunFolder.CheckpointsDir), int.MaxValue).Latest()
            ?? throw new UsageException($"eval: '{runDir}' has no checkpoint to evaluate ({RunFolder.CheckpointsDir}/latest is missing)");
        int episodes = (int)(args.Long("episodes", 1, 1_000_000) ?? experiment.Evaluation.Episodes);
        var render = args.Get("render");
        if (render is not null)
        {
            if (!render.EndsWith(".gif", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"eval: --render '{render}' must name a .gif file");
            var folder = Path.GetDirectoryName(Path.GetFullPath(render))!;
            if (!Directory.Exists(folder)) throw new UsageException($"eval: --render folder '{folder}' does not exist");
        }
        if (RunEvaluation.WhyUnavailable is { } why)
        {
            io.Error.WriteLine($"rlplat eval: {why}");
            return ExitCodes.Unavailable;
        }

        var result = RunEvaluation.Evaluate!(new EvalRequest(runDir, experiment, checkpoint, episodes, !args.Has("stochastic"), render is not null), cancel);
        if (result.Returns.Count == 0) throw new InvalidOperationException($"eval: the evaluator played no episodes of {episodes} asked for");
        var spread = Spread.Of(result.Returns, r => r)!;
        Json.WriteFile(Path.Combine(runDir, EvalFile), new
        {
            Experiment = experiment.Name,
            Seed = experiment.Seeds[0],
            CheckpointStep = checkpoint.Step,
            Episodes = result.Returns.Count,
            Deterministic = !args.Has("stochastic"),
            MeanReturn = spread.Mean,
            StdReturn = spread.Std,
            result.Returns,
            result.Lengths,
        });
        io.Out.WriteLine($"{experiment.Name} seed {experiment.Seeds[0]} at step {checkpoint.Step}: return {spread} over {result.Returns.Count} episode(s)");
        io.Out.WriteLine($"wrote {Path.Combine(runDir, EvalFile)}");
        if (render is not null)
        {
            if (result.Frames.Count == 0)
            {
                io.Error.WriteLine($"rlplat eval: {experiment.Target} gave no frames to record (it cannot render rgb_array)");
                return ExitCodes.Unavailable;
            }
            GifWriter.Write(render, result.Frames);
            io.Out.WriteLine($"wrote {render} ({result.Frames.Count} frames)");
        }
        return ExitCodes.Success;
    }
}
