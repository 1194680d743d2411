using RlPlat.Experiments.Config;
using RlPlat.Experiments.Output;

namespace RlPlat.Experiments.Running;

/// <summary>Options of one <c>rlplat run</c>.</summary>
public sealed record RunOptions
{
    /// <summary>The output folder (<c>--out</c>).</summary>
    public string OutDir { get; init; } = "runs";

    /// <summary>Continue from checkpoints and skip completed runs (<c>--resume</c>).</summary>
    public bool Resume { get; init; }

    /// <summary>Runs trained at once; each is one (experiment, seed).</summary>
    public int MaxParallel { get; init; } = Math.Max(1, Environment.ProcessorCount);
}

/// <summary>What a <c>rlplat run</c> produced.</summary>
public sealed record RunResult(IReadOnlyList<RunSummary> Runs, IReadOnlyList<ExperimentSummary> Experiments, string ReportPath, int NotStarted)
{
    /// <summary>True when every run completed (none failed, cancelled, or left unstarted).</summary>
    public bool AllCompleted => NotStarted == 0 && Runs.All(r => r.Status == RunStatus.Completed);

    /// <summary>Runs that failed.</summary>
    public int Failed => Runs.Count(r => r.Status == RunStatus.Failed);
}

/// <summary>
/// Runs every (experiment, seed) of a file, seeds in parallel, each in its own folder; a run that throws is recorded
/// as failed and the others go on. Writes per run config.yaml, metrics.csv, events.jsonl, checkpoints, summary.json and
/// curve.png; per experiment summary.json and curve.png over seeds; and report.md for the whole run.
/// </summary>
public sealed class ExperimentRunner(RunOptions options, IRunObserver observer, Func<ResolvedExperiment, IRunTarget>? createTarget = null)
{
    private readonly Func<ResolvedExperiment, IRunTarget> createTarget = createTarget ?? RunTargets.Create;

    /// <summary>Runs <paramref name="experiments"/>; Ctrl+C (<paramref name="cancel"/>) stops runs, which flush and record themselves as cancelled.</summary>
    public RunResult Run(IReadOnlyList<ResolvedExperiment> experiments, CancellationToken cancel)
    {
        if (options.MaxParallel < 1) throw new ArgumentException($"parallel runs must be >= 1, got {options.MaxParallel}", nameof(options));
        var items = new List<(ResolvedExperiment Experiment, int Seed)>();
        foreach (var e in experiments)
            foreach (var seed in e.Seeds) items.Add((e, seed));

        var results = new RunSummary?[items.Count];
        // Dedicated threads, not the thread pool: runs block for minutes, and an in-process env server (connector.serve)
        // needs pool threads to answer them.
        int next = -1;
        var workers = new Thread[Math.Min(options.MaxParallel, Math.Max(1, items.Count))];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = new Thread(() =>
            {
                for (int i = Interlocked.Increment(ref next); i < items.Count; i = Interlocked.Increment(ref next))
                    results[i] = RunItem(items[i].Experiment, items[i].Seed, cancel);
            }) { Name = $"rlplat run {w}", IsBackground = true };
            workers[w].Start();
        }
        foreach (var worker in workers) worker.Join();

        var runs = new List<RunSummary>();
        var summaries = new List<ExperimentSummary>();
        int notStarted = 0;
        foreach (var e in experiments)
        {
            var ofExperiment = new List<RunSummary>();
            for (int i = 0; i < items.Count; i++)
                if (ReferenceEquals(items[i].Experiment, e))
                {
                    if (results[i] is { } r) ofExperiment.Add(r);
                    else notStarted++;
                }
            runs.AddRange(ofExperiment);
            if (ofExperiment.Count == 0) continue;
            var summary = ExperimentSummary.From(ofExperiment);
            var dir = Path.Combine(options.OutDir, e.Name);
            Json.WriteFile(Path.Combine(dir, RunFolder.SummaryFile), summary);
            TryRender(() => RunFolder.RenderExperimentCurve(dir));
            summaries.Add(summary);
        }
        Directory.CreateDirectory(options.OutDir);
        var report = Path.Combine(options.OutDir, RunFolder.ReportFile);
        AtomicFile.WriteText(report, RunReport.Markdown(summaries, DateTime.UtcNow));
        return new RunResult(runs, summaries, report, notStarted);
    }

    /// <summary>One run, or null when Ctrl+C came before it started (it leaves no files, so --resume runs it later).</summary>
    private RunSummary? RunItem(ResolvedExperiment experiment, int seed, CancellationToken cancel)
    {
        if (cancel.IsCancellationRequested) return null;
        try
        {
            return RunOne(experiment, seed, cancel);
        }
        catch (Exception e)
        {
            // The run's own files failed (disk full, no permission, a corrupt metrics.csv to resume from): this run
            // is lost, the others go on. Its summary is written where the folder allows.
            var failed = Failed(experiment, seed, $"{e.GetType().Name}: {e.Message}");
            try { Json.WriteFile(Path.Combine(RunFolder.For(options.OutDir, new RunKey(experiment.Name, seed)), RunFolder.SummaryFile), failed); }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException) { /* the report still lists it */ }
            observer.Finished(failed);
            return failed;
        }
    }

    private RunSummary RunOne(ResolvedExperiment experiment, int seed, CancellationToken cancel)
    {
        var key = new RunKey(experiment.Name, seed);
        var dir = RunFolder.For(options.OutDir, key);
        var summaryPath = Path.Combine(dir, RunFolder.SummaryFile);
        RunSummary? previous = ReadPrevious(summaryPath);
        if (options.Resume && previous?.Status == RunStatus.Completed)
        {
            observer.Skipped(previous);
            return previous;
        }

        var started = DateTime.UtcNow;
        var single = experiment.With(seeds: [seed]);
        Directory.CreateDirectory(dir);
        AtomicFile.WriteText(Path.Combine(dir, RunFolder.ConfigFile), ConfigYaml.Write(single));
        var checkpoints = new CheckpointStore(Path.Combine(dir, RunFolder.CheckpointsDir), experiment.Checkpoints.Keep);
        long? resumeStep = null;
        if (options.Resume) resumeStep = checkpoints.LatestStep;
        else checkpoints.Clear();
        var metrics = new MetricsWriter(dir, resumeStep);
        using var tensorboard = experiment.TensorBoard ? new TensorBoardSink(metrics, dir, resumeStep) : null;
        var meter = new ProgressMeter(key, experiment.Training.TotalSteps, resumeStep ?? 0);
        observer.Started(meter);

        string status;
        string? error = null;
        RunOutcome? outcome = null;
        ServedEnv? served = null;
        try
        {
            var connector = experiment.Connector;
            if (connector?.Serve is { } envId)
            {
                if (RemoteEnvHosting.WhyUnavailable is { } why) throw new InvalidOperationException($"connector.serve '{envId}': {why}");
                int port = connector.Options.TryGetValue("port", out var p) && p is long l ? checked((int)l) : 0;
                served = RemoteEnvHosting.Start!(envId, port);
                var withPort = new Dictionary<string, object?>(connector.Options) { ["port"] = (long)served.Port };
                connector = connector with { Options = withPort };
            }
            var target = createTarget(single);
            outcome = target.Run(new RunContext
            {
                Experiment = single,
                Seed = seed,
                RunDir = dir,
                Cancel = cancel,
                Resume = options.Resume,
                Metrics = (IMetricsSink?)tensorboard ?? metrics,
                Progress = meter,
                Checkpoints = checkpoints,
                Connector = connector,
            });
            status = outcome.Steps < experiment.Training.TotalSteps && cancel.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Completed;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            status = RunStatus.Cancelled;
        }
        catch (Exception e)
        {
            status = RunStatus.Failed;
            error = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            served?.Dispose();
            metrics.Flush();
        }

        var snapshot = meter.Snapshot();
        var wall = snapshot.Elapsed.TotalSeconds;
        var summary = new RunSummary
        {
            Experiment = experiment.Name,
            Seed = seed,
            Agent = experiment.AgentName,
            Target = experiment.Target,
            Status = status,
            Error = error,
            Steps = outcome?.Steps ?? snapshot.Steps,
            TotalSteps = experiment.Training.TotalSteps,
            WallTimeS = wall + (resumeStep is not null && previous is not null ? previous.WallTimeS : 0),
            StepsPerS = wall > 0 ? ((outcome?.Steps ?? snapshot.Steps) - (resumeStep ?? 0)) / wall : 0,
            FinalEvalReturn = outcome?.FinalEvalReturn ?? metrics.LastEvalReturn,
            BestEvalReturn = outcome?.BestEvalReturn ?? metrics.BestEvalReturn,
            FinalTrainReturn = metrics.LastEpisodeReturn ?? snapshot.RecentMeanReturn,
            ResumedFromStep = resumeStep,
            StartedAt = started,
            FinishedAt = DateTime.UtcNow,
        };
        Json.WriteFile(summaryPath, summary);
        TryRender(() => RunFolder.RenderRunCurve(dir));
        observer.Finished(summary);
        return summary;
    }

    /// <summary>The summary an earlier session left, or null when there is none or it cannot be read (then the run starts over).</summary>
    private static RunSummary? ReadPrevious(string path)
    {
        if (!File.Exists(path)) return null;
        try { return Json.ReadFile<RunSummary>(path); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException) { return null; }
    }

    private static RunSummary Failed(ResolvedExperiment experiment, int seed, string error) => new()
    {
        Experiment = experiment.Name,
        Seed = seed,
        Agent = experiment.AgentName,
        Target = experiment.Target,
        Status = RunStatus.Failed,
        Error = error,
        Steps = 0,
        TotalSteps = experiment.Training.TotalSteps,
        WallTimeS = 0,
        StepsPerS = 0,
        StartedAt = DateTime.UtcNow,
        FinishedAt = DateTime.UtcNow,
    };

    /// <summary>A plot that cannot be drawn must not turn a finished run into a failure: the metrics it comes from are on disk.</summary>
    private static void TryRender(Func<string?> render)
    {
        try { render(); }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"rlplat: could not draw a curve: {e.Message}");
        }
    }
}
