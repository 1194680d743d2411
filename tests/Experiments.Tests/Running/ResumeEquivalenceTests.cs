using System.Text.Json;
using RlPlat.Engine.Kernels;
using RlPlat.Experiments.Config;
using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Tests.Running;

/// <summary>
/// Real agents through the runner: a run killed part way (an injected failure, or Ctrl+C) and resumed writes the same
/// metrics.csv and events.jsonl, row by row, as a run that was never stopped (wall-clock columns aside); the same seed
/// twice gives identical files. CPU, one kernel thread.
/// </summary>
[NonParallelizable]
public class ResumeEquivalenceTests
{
    private string root = "";
    private int threads;

    [SetUp]
    public void SetUp()
    {
        root = Path.Combine(Path.GetTempPath(), "rlplat-resume-" + Guid.NewGuid().ToString("N"));
        threads = Parallelism.MaxThreads;
        Parallelism.MaxThreads = 1;
    }

    [TearDown]
    public void TearDown()
    {
        Parallelism.MaxThreads = threads;
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    // PPO mid-rollout at every checkpoint (rollouts of 32 steps, checkpoints every 300), with wrappers whose statistics
    // live in the envs (NormalizeObservation) and change rewards (ClipReward).
    private const string Ppo = """
        experiments:
          - name: ppo
            env: {id: CartPole-v1}
            n_envs: 2
            wrappers: [NormalizeObservation, {name: ClipReward, args: {min_reward: -1, max_reward: 0.5}}]
            agent:
              algorithm: ppo
              hyperparameters: {n_steps: 16, batch_size: 16, n_epochs: 2, learning_rate: lin_0.001, clip_range: lin_0.2}
            network: {layers: [16]}
            training: {total_steps: 1200, log_every_steps: 100}
            evaluation: {every_steps: 400, episodes: 2}
            checkpoints: {every_steps: 300, keep: 2}
            seeds: [5]
        """;

    // DQN with replay, epsilon decay and target updates spanning the checkpoints.
    private const string Dqn = """
        experiments:
          - name: dqn
            env: {id: CartPole-v1}
            agent:
              algorithm: dqn
              hyperparameters: {learning_rate: 0.001, buffer_size: 5000, learning_starts: 200, batch_size: 16, train_freq: 4, target_update_interval: 150, exploration_fraction: 0.5}
            network: {layers: [16], activation: relu}
            training: {total_steps: 1500, log_every_steps: 100}
            evaluation: {every_steps: 500, episodes: 2}
            checkpoints: {every_steps: 500, keep: 2}
            seeds: [2]
        """;

    private static ResolvedExperiment Parse(string yaml) => ExperimentFile.Parse(yaml, "t.yaml").Experiments.Single();

    private RunResult Run(string outDir, ResolvedExperiment e, bool resume = false, Func<ResolvedExperiment, IRunTarget>? target = null, CancellationToken cancel = default)
        => new ExperimentRunner(new RunOptions { OutDir = Path.Combine(root, outDir), Resume = resume, MaxParallel = 1 }, new RecordingObserver(),
            target ?? (x => new AgentRunTarget(x))).Run([e], cancel);

    /// <summary>The run's metrics.csv rows without the wall_time column.</summary>
    private string[] Metrics(string outDir, ResolvedExperiment e) =>
        File.ReadAllLines(Path.Combine(root, outDir, e.Name, e.Seeds[0].ToString(), "metrics.csv"))
            .Select(line => string.Join(',', line.Split(',').Where((_, i) => i != 1))).ToArray();

    /// <summary>The run's events.jsonl records without wall_time.</summary>
    private string[] Events(string outDir, ResolvedExperiment e) =>
        File.ReadAllLines(Path.Combine(root, outDir, e.Name, e.Seeds[0].ToString(), "events.jsonl")).Select(line =>
        {
            var record = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!;
            record.Remove("wall_time");
            return JsonSerializer.Serialize(record);
        }).ToArray();

    [TestCase(Ppo, 700L, 600L, TestName = "KilledAndResumedPpoWritesTheSameMetricsAsAnUninterruptedRun")]
    [TestCase(Dqn, 1100L, 1000L, TestName = "KilledAndResumedDqnWritesTheSameMetricsAsAnUninterruptedRun")]
    public void KilledAndResumedRunWritesTheSameMetricsAsAnUninterruptedOne(string yaml, long killAt, long checkpoint)
    {
        var e = Parse(yaml);
        var whole = Run("whole", e);
        Assert.That(whole.AllCompleted, Is.True, whole.Runs[0].Error);

        var killed = Run("killed", e, target: x => new InterruptedTarget(new AgentRunTarget(x), killAt, cancel: null));
        Assert.That(killed.Runs[0].Status, Is.EqualTo("failed"));
        Assert.That(killed.Runs[0].Error, Does.Contain($"killed at step {killAt}"));
        Assert.That(Metrics("killed", e).Length, Is.LessThan(Metrics("whole", e).Length));

        var resumed = Run("killed", e, resume: true);
        Assert.That(resumed.Runs[0].Status, Is.EqualTo("completed"), resumed.Runs[0].Error);
        Assert.That(resumed.Runs[0].ResumedFromStep, Is.EqualTo(checkpoint));
        Assert.That(Metrics("killed", e), Is.EqualTo(Metrics("whole", e)));
        Assert.That(Events("killed", e), Is.EqualTo(Events("whole", e)));
        Assert.That(resumed.Runs[0].FinalEvalReturn, Is.EqualTo(whole.Runs[0].FinalEvalReturn));
        Assert.That(resumed.Runs[0].BestEvalReturn, Is.EqualTo(whole.Runs[0].BestEvalReturn));
    }

    [Test]
    public void CancelledAndResumedRunWritesTheSameMetricsAsAnUninterruptedOne()
    {
        var e = Parse(Ppo);
        Run("whole", e);
        using var cts = new CancellationTokenSource();
        var cancelled = Run("stopped", e, target: x => new InterruptedTarget(new AgentRunTarget(x), 500, cts), cancel: cts.Token);
        Assert.That(cancelled.Runs[0].Status, Is.EqualTo("cancelled"));
        // Ctrl+C checkpoints where the run stopped (the step after the request), not at the last periodic checkpoint.
        Assert.That(cancelled.Runs[0].Steps, Is.EqualTo(502));

        var resumed = Run("stopped", e, resume: true);
        Assert.That(resumed.Runs[0].ResumedFromStep, Is.EqualTo(502));
        Assert.That(Metrics("stopped", e), Is.EqualTo(Metrics("whole", e)));
        Assert.That(Events("stopped", e), Is.EqualTo(Events("whole", e)));
    }

    [TestCase(Ppo, TestName = "SameSeedTwiceGivesIdenticalPpoMetrics")]
    [TestCase(Dqn, TestName = "SameSeedTwiceGivesIdenticalDqnMetrics")]
    public void SameSeedTwiceGivesIdenticalMetrics(string yaml)
    {
        var e = Parse(yaml);
        Run("first", e);
        Run("second", e);
        var first = Metrics("first", e);
        Assert.That(first.Length, Is.GreaterThan(10));
        Assert.That(Metrics("second", e), Is.EqualTo(first));
        Assert.That(Events("second", e), Is.EqualTo(Events("first", e)));
    }

    [Test]
    public void ReplayBufferNoneMakesSmallerCheckpointsThatStillResume()
    {
        var full = Parse(Dqn);
        var none = Parse(Dqn.Replace("checkpoints: {every_steps: 500, keep: 2}", "checkpoints: {every_steps: 500, keep: 2, replay_buffer: none}"));
        Assert.That((full.Checkpoints.ReplayTransitions, none.Checkpoints.ReplayTransitions), Is.EqualTo((int.MaxValue, 0)));
        Run("full", full, target: x => new InterruptedTarget(new AgentRunTarget(x), 700, cancel: null));
        Run("none", none, target: x => new InterruptedTarget(new AgentRunTarget(x), 700, cancel: null));
        long Size(string dir) => new FileInfo(Path.Combine(root, dir, "dqn", "2", "checkpoints", "step-000000000500", "agent.bin")).Length;
        // 500 CartPole transitions: 2 x 4 observation floats, an action, reward, flag and discount, 4 bytes each.
        Assert.That(Size("full") - Size("none"), Is.GreaterThanOrEqualTo(500 * 12 * 4));
        var resumed = Run("none", none, resume: true);
        Assert.That(resumed.Runs[0].Status, Is.EqualTo("completed"), resumed.Runs[0].Error);
        Assert.That(resumed.Runs[0].Steps, Is.EqualTo(1500));
    }

    /// <summary>Wraps a run target: at <c>killAt</c> steps it throws (a crash) or, given a source, cancels it (Ctrl+C).</summary>
    private sealed class InterruptedTarget(IRunTarget inner, long killAt, CancellationTokenSource? cancel) : IRunTarget
    {
        public RunOutcome Run(RunContext ctx) => inner.Run(new RunContext
        {
            Experiment = ctx.Experiment,
            Seed = ctx.Seed,
            RunDir = ctx.RunDir,
            Cancel = ctx.Cancel,
            Resume = ctx.Resume,
            Metrics = ctx.Metrics,
            Checkpoints = ctx.Checkpoints,
            Connector = ctx.Connector,
            Progress = new Progress(p =>
            {
                ctx.Progress.Report(p);
                if (p.Steps < killAt) return;
                if (cancel is null) throw new InvalidOperationException($"killed at step {p.Steps}");
                cancel.Cancel();
            }),
        });

        private sealed class Progress(Action<RunProgress> report) : IProgress<RunProgress>
        {
            public void Report(RunProgress value) => report(value);
        }
    }
}
