using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Tests.Running;

/// <summary>
/// A deterministic stand-in for a training algorithm: "training" counts steps; the logged return at step s for seed k
/// is s/100 + k, evaluation returns s/50 + k, so every figure in the outputs is known in advance.
/// </summary>
internal sealed class CountingTarget : IRunTarget
{
    public static double TrainReturn(long step, int seed) => step / 100.0 + seed;
    public static double EvalReturn(long step, int seed) => step / 50.0 + seed;

    /// <summary>Called at each step; lets a test cancel or throw at a chosen point.</summary>
    public Action<long>? OnStep { get; init; }

    public RunOutcome Run(RunContext ctx)
    {
        var x = ctx.Experiment;
        long step = 0;
        if (ctx.Resume && ctx.Checkpoints.Latest() is { } checkpoint)
            step = BitConverter.ToInt64(checkpoint.Blobs["state"]);
        while (step < x.Training.TotalSteps)
        {
            ctx.Cancel.ThrowIfCancellationRequested();
            step++;
            OnStep?.Invoke(step);
            ctx.Progress.Report(new RunProgress(step, TrainReturn(step, ctx.Seed)));
            if (step % x.Training.LogEverySteps == 0)
                ctx.Metrics.Log(step, new Dictionary<string, double>
                {
                    [MetricKeys.EpisodeReturn] = TrainReturn(step, ctx.Seed),
                    [MetricKeys.LearningRate] = x.Agent.Hyperparameters.Schedule("learning_rate").ValueAt(1 - (double)step / x.Training.TotalSteps),
                });
            if (x.Evaluation.EverySteps > 0 && step % x.Evaluation.EverySteps == 0)
                ctx.Metrics.Log(step, new Dictionary<string, double> { [MetricKeys.EvalReturn] = EvalReturn(step, ctx.Seed) });
            if (x.Checkpoints.EverySteps > 0 && step % x.Checkpoints.EverySteps == 0)
                ctx.Checkpoints.Save(step, new Dictionary<string, byte[]> { ["state"] = BitConverter.GetBytes(step) });
        }
        ctx.Metrics.Event(step, "done", new Dictionary<string, object?> { ["seed"] = ctx.Seed });
        return new RunOutcome(step);
    }
}

/// <summary>Fails after a given number of steps, as a diverging or buggy algorithm would.</summary>
internal sealed class ThrowingTarget(long failAt) : IRunTarget
{
    public RunOutcome Run(RunContext ctx)
    {
        for (long step = 1; step <= failAt; step++) ctx.Progress.Report(new RunProgress(step, null));
        throw new InvalidOperationException($"loss became NaN at step {failAt}");
    }
}

/// <summary>Records what the runner tells the display.</summary>
internal sealed class RecordingObserver : IRunObserver
{
    public readonly List<string> Lines = [];

    public void Started(ProgressMeter meter)
    {
        lock (Lines) Lines.Add($"start {meter.Key}");
    }

    public void Finished(RunSummary summary)
    {
        lock (Lines) Lines.Add($"finish {summary.Experiment}/{summary.Seed} {summary.Status}");
    }

    public void Skipped(RunSummary previous)
    {
        lock (Lines) Lines.Add($"skip {previous.Experiment}/{previous.Seed}");
    }
}

/// <summary>A custom run target named by type in YAML.</summary>
public sealed class NamedCustomTarget(RlPlat.Experiments.Config.ResolvedExperiment experiment) : IRunTarget
{
    public RunOutcome Run(RunContext ctx)
    {
        ctx.Metrics.Log(1, new Dictionary<string, double> { [MetricKeys.EvalReturn] = experiment.Agent.Hyperparameters.Float("target") });
        return new RunOutcome(experiment.Training.TotalSteps);
    }
}
