using System.Text.Json;
using RlPlat.Experiments.Config;
using RlPlat.Experiments.Output;
using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Tests.Running;

[NonParallelizable]
public class ExperimentRunnerTests
{
    private string outDir = "";

    [SetUp]
    public void SetUp() => outDir = Path.Combine(Path.GetTempPath(), "rlplat-runner-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
    }

    private static ResolvedExperiment Experiment(string name = "count", string seeds = "[0, 1]", long steps = 1000, string extra = "") =>
        ExperimentFile.Parse($"""
            experiments:
              - name: {name}
                env: {"{"}id: CartPole-v1{"}"}
                agent: {"{"}algorithm: ppo, hyperparameters: {"{"}learning_rate: lin_0.001{"}"}{"}"}
                training: {"{"}total_steps: {steps}, log_every_steps: 100{"}"}
                evaluation: {"{"}every_steps: 250, episodes: 1{"}"}
                checkpoints: {"{"}every_steps: 300, keep: 2{"}"}
                seeds: {seeds}
            {extra}
            """, "t.yaml").Experiments.Single();

    private RunResult Run(ResolvedExperiment[] experiments, Func<ResolvedExperiment, IRunTarget> target, bool resume = false,
        RecordingObserver? observer = null, CancellationToken cancel = default)
        => new ExperimentRunner(new RunOptions { OutDir = outDir, Resume = resume, MaxParallel = 2 }, observer ?? new RecordingObserver(), target)
            .Run(experiments, cancel);

    [Test]
    public void RunWritesEveryOutputWithKnownValues()
    {
        var result = Run([Experiment()], _ => new CountingTarget());

        Assert.That(result.AllCompleted, Is.True);
        Assert.That(result.Runs.Select(r => (r.Seed, r.Status, r.Steps)), Is.EquivalentTo(new[] { (0, "completed", 1000L), (1, "completed", 1000L) }));
        foreach (int seed in new[] { 0, 1 })
        {
            var dir = Path.Combine(outDir, "count", seed.ToString());
            var metrics = MetricsTable.Read(Path.Combine(dir, "metrics.csv"));
            Assert.That(metrics.Columns, Is.EqualTo(new[] { "step", "wall_time", "episode_return", "learning_rate" }));
            Assert.That(metrics.Steps.Take(3), Is.EqualTo(new[] { 100L, 200L, 250L }));
            Assert.That(metrics.Column("episode_return")![0], Is.EqualTo(1.0 + seed));
            Assert.That(metrics.Column("learning_rate")![0], Is.EqualTo(0.001 * 0.9).Within(1e-15));
            Assert.That(double.IsNaN(metrics.Column("episode_return")![2]), Is.True, "the eval row leaves training columns empty");

            // eval_return was not in the first row, so it goes to events.jsonl with the "done" event.
            var events = File.ReadAllLines(Path.Combine(dir, "events.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
            var evals = events.Where(e => e.GetProperty("kind").GetString() == "metrics").ToArray();
            Assert.That(evals.Select(e => e.GetProperty("step").GetInt64()), Is.EqualTo(new[] { 250L, 500L, 750L, 1000L }));
            Assert.That(evals[^1].GetProperty("eval_return").GetDouble(), Is.EqualTo(CountingTarget.EvalReturn(1000, seed)));
            Assert.That(events[^1].GetProperty("kind").GetString(), Is.EqualTo("done"));
            Assert.That(events[^1].GetProperty("seed").GetInt32(), Is.EqualTo(seed));

            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            var s = summary.RootElement;
            Assert.That(s.GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(s.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(s.GetProperty("steps").GetInt64(), Is.EqualTo(1000));
            Assert.That(s.GetProperty("final_eval_return").GetDouble(), Is.EqualTo(20.0 + seed));
            Assert.That(s.GetProperty("best_eval_return").GetDouble(), Is.EqualTo(20.0 + seed));
            Assert.That(s.GetProperty("final_train_return").GetDouble(), Is.EqualTo(10.0 + seed));
            Assert.That(s.GetProperty("steps_per_s").GetDouble(), Is.GreaterThan(0));
            foreach (var field in new[] { "experiment", "seed", "agent", "target", "total_steps", "wall_time_s", "started_at", "finished_at", "resumed_from_step" })
                Assert.That(s.TryGetProperty(field, out _), Is.True, field);

            var merged = MetricsTable.ReadRun(dir);
            var (evalSteps, evalValues) = CurvePlot.Finite(merged.Steps, merged.Column("eval_return"));
            Assert.That(evalSteps, Is.EqualTo(new double[] { 250, 500, 750, 1000 }), "ReadRun merges the eval returns from events.jsonl");
            Assert.That(evalValues[0], Is.EqualTo(CountingTarget.EvalReturn(250, seed)));

            AssertPng(Path.Combine(dir, "curve.png"));
            var config = ExperimentFile.LoadExperiment(Path.Combine(dir, "config.yaml"));
            Assert.That(config.Seeds, Is.EqualTo(new[] { seed }));
            Assert.That(config.Agent.Hyperparameters.Schedule("learning_rate"), Is.EqualTo(Schedule.Linear(0.001)));
            Assert.That(config.Agent.Hyperparameters.Int("n_steps"), Is.EqualTo(2048), "defaults are written out");

            // keep: 2 leaves the two newest of the checkpoints at 300, 600, 900.
            Assert.That(Directory.GetDirectories(Path.Combine(dir, "checkpoints")).Select(Path.GetFileName).Order(),
                Is.EqualTo(new[] { "step-000000000600", "step-000000000900" }));
        }

        using var aggregate = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "count", "summary.json")));
        var a = aggregate.RootElement;
        Assert.That(a.GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(a.GetProperty("seeds").EnumerateArray().Select(x => x.GetInt32()), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(a.GetProperty("final_eval_return").GetProperty("mean").GetDouble(), Is.EqualTo(20.5));
        Assert.That(a.GetProperty("final_eval_return").GetProperty("std").GetDouble(), Is.EqualTo(0.5).Within(1e-12));
        Assert.That(a.GetProperty("final_train_return").GetProperty("min").GetDouble(), Is.EqualTo(10.0));
        AssertPng(Path.Combine(outDir, "count", "curve.png"));

        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.That(report, Does.Contain("| count | ppo | CartPole-v1 | 2 | completed | 20.5 ± 0.5 | 20.5 ± 0.5 | 10.5 ± 0.5 | 1000 |"));
        Assert.That(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories), Is.Empty, "no temp files left behind");
    }

    [Test]
    public void FailedRunIsRecordedAndOthersContinue()
    {
        var observer = new RecordingObserver();
        var result = Run([Experiment("good", "[0]"), Experiment("bad", "[0, 1]")],
            e => e.Name == "bad" ? new ThrowingTarget(42) : new CountingTarget(), observer: observer);

        Assert.That(result.AllCompleted, Is.False);
        Assert.That(result.Failed, Is.EqualTo(2));
        Assert.That(result.Runs.Single(r => r.Experiment == "good").Status, Is.EqualTo("completed"));
        var bad = Json.ReadFile<RunSummary>(Path.Combine(outDir, "bad", "1", "summary.json"));
        Assert.That(bad.Status, Is.EqualTo("failed"));
        Assert.That(bad.Error, Is.EqualTo("InvalidOperationException: loss became NaN at step 42"));
        Assert.That(bad.Steps, Is.EqualTo(42));
        var aggregate = Json.ReadFile<ExperimentSummary>(Path.Combine(outDir, "bad", "summary.json"));
        Assert.That((aggregate.Status, aggregate.Failed, aggregate.Completed), Is.EqualTo(("failed", 2, 0)));
        Assert.That(aggregate.Errors, Is.EqualTo(new[] { "seed 0: InvalidOperationException: loss became NaN at step 42", "seed 1: InvalidOperationException: loss became NaN at step 42" }));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report.md")), Does.Contain("## Failures").And.Contain("- bad, seed 1: InvalidOperationException"));
        Assert.That(observer.Lines, Has.Member("finish bad/0 failed").And.Member("finish good/0 completed"));
    }

    [Test]
    public void CancelStopsRunsWhichFlushAndRecordThemselves()
    {
        using var cts = new CancellationTokenSource();
        var result = new ExperimentRunner(new RunOptions { OutDir = outDir, MaxParallel = 1 }, new RecordingObserver(),
                _ => new CountingTarget { OnStep = s => { if (s == 420) cts.Cancel(); } })
            .Run([Experiment(seeds: "[0, 1]")], cts.Token);

        Assert.That(result.Runs, Has.Count.EqualTo(1), "the second seed never started");
        Assert.That(result.NotStarted, Is.EqualTo(1));
        Assert.That(result.AllCompleted, Is.False);
        var summary = Json.ReadFile<RunSummary>(Path.Combine(outDir, "count", "0", "summary.json"));
        Assert.That((summary.Status, summary.Steps), Is.EqualTo(("cancelled", 420L)));
        Assert.That(MetricsTable.Read(Path.Combine(outDir, "count", "0", "metrics.csv")).Steps[^1], Is.EqualTo(400), "rows logged before the cancel are on disk");
        Assert.That(Directory.Exists(Path.Combine(outDir, "count", "1")), Is.False);
    }

    [Test]
    public void ResumeContinuesFromTheLatestCheckpointAndSkipsCompletedRuns()
    {
        using var cts = new CancellationTokenSource();
        new ExperimentRunner(new RunOptions { OutDir = outDir, MaxParallel = 1 }, new RecordingObserver(),
                _ => new CountingTarget { OnStep = s => { if (s == 700) cts.Cancel(); } })
            .Run([Experiment(seeds: "[0]")], cts.Token);
        Assert.That(Json.ReadFile<RunSummary>(Path.Combine(outDir, "count", "0", "summary.json")).Status, Is.EqualTo("cancelled"));

        var observer = new RecordingObserver();
        long firstStep = -1;
        var result = Run([Experiment(seeds: "[0, 1]")], _ => new CountingTarget { OnStep = s => { if (firstStep < 0) firstStep = s; } }, resume: true, observer: observer);

        Assert.That(result.AllCompleted, Is.True);
        var summary = Json.ReadFile<RunSummary>(Path.Combine(outDir, "count", "0", "summary.json"));
        Assert.That((summary.Status, summary.Steps, summary.ResumedFromStep), Is.EqualTo(("completed", 1000L, (long?)600)));
        var metrics = MetricsTable.Read(Path.Combine(outDir, "count", "0", "metrics.csv"));
        Assert.That(metrics.Steps.Where(s => s % 100 == 0).Distinct(), Is.EqualTo(new long[] { 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000 }),
            "rows up to the checkpoint are kept once, later rows are logged again by the resumed run");
        Assert.That(metrics.Column("wall_time"), Is.Ordered, "wall time continues across the resume");
        Assert.That(metrics.Steps.Count(s => s == 600), Is.EqualTo(1), "wall time continues across the resume");

        // Resuming again skips both completed runs.
        var again = new RecordingObserver();
        Run([Experiment(seeds: "[0, 1]")], _ => throw new AssertionException("a completed run must not be created again"), resume: true, observer: again);
        Assert.That(again.Lines, Is.EquivalentTo(new[] { "skip count/0", "skip count/1" }));
    }

    [Test]
    public void UnreadableSummaryIsRunAgainAndUnwritableFolderFailsOnlyItsRun()
    {
        Directory.CreateDirectory(Path.Combine(outDir, "count", "0"));
        File.WriteAllText(Path.Combine(outDir, "count", "0", "summary.json"), "{ truncated");
        // A file where seed 1's folder should be: the runner cannot create the folder.
        File.WriteAllText(Path.Combine(outDir, "count", "1"), "not a folder");
        var result = Run([Experiment(seeds: "[0, 1]", steps: 200)], _ => new CountingTarget(), resume: true);
        Assert.That(result.Runs.Single(r => r.Seed == 0).Status, Is.EqualTo("completed"));
        var failed = result.Runs.Single(r => r.Seed == 1);
        Assert.That(failed.Status, Is.EqualTo("failed"));
        Assert.That(failed.Error, Does.StartWith("IOException:"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report.md")), Does.Contain("| count | ppo | CartPole-v1 | 2 | failed (1 ok, 1 failed, 0 cancelled) |"));
    }

    [Test]
    public void CorruptMetricsToResumeFromFailTheRunWithTheLine()
    {
        Run([Experiment(seeds: "[0]")], _ => new CountingTarget());
        File.WriteAllText(Path.Combine(outDir, "count", "0", "summary.json"), "{}");
        File.AppendAllText(Path.Combine(outDir, "count", "0", "metrics.csv"), "1200,x\n");
        var result = Run([Experiment(seeds: "[0]")], _ => new CountingTarget(), resume: true);
        Assert.That(result.Runs.Single().Error, Does.StartWith("InvalidOperationException:").And.Contain("metrics.csv:16: 2 cells, the header has 4"));
        Assert.That(Json.ReadFile<RunSummary>(Path.Combine(outDir, "count", "0", "summary.json")).Status, Is.EqualTo("failed"));
    }

    [Test]
    public void FreshRunClearsOldCheckpoints()
    {
        Run([Experiment(seeds: "[0]")], _ => new CountingTarget());
        Run([Experiment(seeds: "[0]", steps: 200)], _ => new CountingTarget());
        Assert.That(Directory.Exists(Path.Combine(outDir, "count", "0", "checkpoints")), Is.False);
        Assert.That(MetricsTable.Read(Path.Combine(outDir, "count", "0", "metrics.csv")).Steps, Is.EqualTo(new long[] { 100, 200 }));
    }

    [Test]
    public void SameSeedGivesSameMetrics()
    {
        Run([Experiment(seeds: "[3]")], _ => new CountingTarget());
        var first = MetricsTable.Read(Path.Combine(outDir, "count", "3", "metrics.csv"));
        Run([Experiment(seeds: "[3]")], _ => new CountingTarget());
        var second = MetricsTable.Read(Path.Combine(outDir, "count", "3", "metrics.csv"));
        Assert.That(second.Column("episode_return"), Is.EqualTo(first.Column("episode_return")));
    }

    [Test]
    public void UnavailableAlgorithmFailsTheRunWithTheReason()
    {
        RunTargets.Unregister("ppo");
        var result = new ExperimentRunner(new RunOptions { OutDir = outDir }, new RecordingObserver()).Run([Experiment(seeds: "[0]")], default);
        Assert.That(result.Runs.Single().Error, Does.Contain("no run target is registered for algorithm 'ppo'"));
    }

    [Test]
    public void RegisteredAndCustomTargetsResolve()
    {
        Assert.That(() => RunTargets.Register("ppo2", _ => new CountingTarget()), Throws.ArgumentException.With.Message.Contains("did you mean 'ppo'?"));
        RunTargets.Register("a2c", _ => new CountingTarget());
        try
        {
            var a2c = ExperimentFile.Parse("experiments: [{name: a, env: {id: CartPole-v1}, agent: {algorithm: a2c}}]", "t.yaml").Experiments[0];
            Assert.That(RunTargets.Create(a2c), Is.InstanceOf<CountingTarget>());
        }
        finally { RunTargets.Unregister("a2c"); }

        var typeName = typeof(NamedCustomTarget).FullName + ", " + typeof(NamedCustomTarget).Assembly.GetName().Name;
        var custom = ExperimentFile.Parse($"experiments: [{{name: c, env: {{id: CartPole-v1}}, agent: {{type: '{typeName}', hyperparameters: {{target: 7.5}}}}, training: {{total_steps: 5}}}}]", "t.yaml").Experiments[0];
        Assert.That(RunTargets.WhyUnavailable(custom), Is.Null);
        var result = new ExperimentRunner(new RunOptions { OutDir = outDir }, new RecordingObserver()).Run([custom], default);
        Assert.That(result.Runs.Single().FinalEvalReturn, Is.EqualTo(7.5));

        var missing = ExperimentFile.Parse("experiments: [{name: c, env: {id: CartPole-v1}, agent: {type: 'No.Such.Type, Nowhere'}}]", "t.yaml").Experiments[0];
        Assert.That(RunTargets.WhyUnavailable(missing), Does.StartWith("agent type 'No.Such.Type, Nowhere' was not found: it is not in a loaded assembly, nor in ").And.Contain("Nowhere.dll"));
        var notTarget = ExperimentFile.Parse("experiments: [{name: c, env: {id: CartPole-v1}, agent: {type: 'System.Text.StringBuilder, System.Runtime'}}]", "t.yaml").Experiments[0];
        Assert.That(RunTargets.WhyUnavailable(notTarget), Does.Contain("implements neither IAgent nor IRunTarget"));
    }

    [Test]
    public void ServedConnectorGetsTheBoundPortAndIsStoppedAfterTheRun()
    {
        var x = ExperimentFile.Parse("""
            experiments:
              - name: remote
                connector: {type: tcp, serve: CartPole-v1, options: {host: 127.0.0.1, port: 0}}
                agent: {algorithm: ppo}
                training: {total_steps: 10}
            """, "t.yaml").Experiments.Single();
        var server = new Disposable();
        RemoteEnvHosting.Start = (env, port) => { Assert.That((env, port), Is.EqualTo(("CartPole-v1", 0))); return new ServedEnv(4321, server); };
        try
        {
            object? seenPort = null;
            var result = Run([x], _ => new LambdaTarget(ctx => { seenPort = ctx.Connector!.Options["port"]; return new RunOutcome(10); }));
            Assert.That(result.AllCompleted, Is.True, result.Runs[0].Error);
            Assert.That(seenPort, Is.EqualTo(4321L));
            Assert.That(server.Disposed, Is.True);
            Assert.That(ExperimentFile.LoadExperiment(Path.Combine(outDir, "remote", "0", "config.yaml")).Connector!.Options["port"], Is.EqualTo(0L),
                "config.yaml keeps the configured port; the bound one is per session");
        }
        finally { RemoteEnvHosting.Start = null; }

        var failed = Run([x], _ => new CountingTarget());
        Assert.That(failed.Runs[0].Error, Does.Contain("connector.serve 'CartPole-v1': no remote env server is available yet"));
    }

    [Test]
    public void ProgressMeterTurnsReportsIntoASnapshot()
    {
        var meter = new ProgressMeter(new RunKey("x", 2), totalSteps: 1000, startStep: 200);
        var before = meter.Snapshot();
        Assert.That((before.Steps, before.RecentMeanReturn, before.Fraction), Is.EqualTo((200L, (double?)null, 0.2)));
        meter.Report(new RunProgress(600, 12.5));
        meter.Report(new RunProgress(700, null));   // no new episode: the last mean return stays
        var s = meter.Snapshot();
        Assert.That((s.Key.ToString(), s.Steps, s.TotalSteps, s.RecentMeanReturn, s.Fraction), Is.EqualTo(("x/2", 700L, 1000L, (double?)12.5, 0.7)));
        Assert.That(s.StepsPerSecond, Is.GreaterThan(0));
        Assert.That(s.Eta!.Value.TotalSeconds, Is.EqualTo(300 / s.StepsPerSecond).Within(1e-6), "ETA = steps left / rate");
    }

    private sealed class Disposable : IDisposable
    {
        public bool Disposed;
        public void Dispose() => Disposed = true;
    }

    private sealed class LambdaTarget(Func<RunContext, RunOutcome> run) : IRunTarget
    {
        public RunOutcome Run(RunContext ctx) => run(ctx);
    }

    internal static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Length, Is.GreaterThan(1000), path);
        Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), path);
    }
}
