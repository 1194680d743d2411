using System.Text.Json;
using RlPlat.Experiments.Cli;
using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Tests.Running;

[NonParallelizable]
public class OnlineRunTargetTests : RunnerTestBase
{
    protected override string FolderPrefix => "rlplat-online-run-";

    protected override void RegisterTargets() => OnlineRunTarget.RegisterAll();

    [Test]
    public void OnlineDqnOnTheCarStreamWritesCountersGrowthAndChangesThroughTheRunner()
    {
        File.WriteAllText(Path.Combine(dir, "exp.yaml"), """
            experiments:
              - name: online-small
                connector:
                  type: sensor-stream
                  options: {env_id: CarSensorsDiscrete-v0, rate_hz: 50, clock: virtual, deadline_ms: 20, changes: "20s: friction(0.5)"}
                agent:
                  algorithm: online-dqn
                  hyperparameters: {learning_starts: 200, batch_size: 16, exploration_decay_steps: 1000}
                network:
                  layers: [16]
                  activation: relu
                  growth: {trigger: steps, every_steps: 1000, add_units: 8, max_units: 32}
                training: {total_steps: 3000, log_every_steps: 500}
                evaluation: {every_steps: 0}
                checkpoints: {every_steps: 0, keep: 1}
                seeds: [0]
            """);
        var (code, _, err) = Rlplat("run", Path.Combine(dir, "exp.yaml"), "--out", Path.Combine(dir, "runs"));
        Assert.That(code, Is.EqualTo(0), err);
        var runDir = Path.Combine(dir, "runs", "online-small", "0");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(summary.RootElement.GetProperty("steps").GetInt64(), Is.InRange(3000, 3010));

        var lines = File.ReadAllLines(Path.Combine(runDir, "metrics.csv"));
        var header = lines[0].Split(',');
        Assert.That(header, Is.SupersetOf(new[] { "episode_return", "laps_per_minute", "late", "updates", "growths", "latency_p50_ms", "latency_p99_ms", "deadlines_met" }));
        Assert.That(lines.Length - 1, Is.EqualTo(6), "3000 stream steps at 500 per row");

        var events = File.ReadAllLines(Path.Combine(runDir, "events.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var growth = events.Where(e => e.GetProperty("kind").GetString() == "growth").Select(e => e.GetProperty("shape").GetString()).ToList();
        Assert.That(growth, Is.EqualTo(new[] { "12-24-5", "12-32-5" }));
        var change = events.Single(e => e.GetProperty("kind").GetString() == "env_change");
        Assert.That(change.GetProperty("change").GetString(), Is.EqualTo("friction"));
        Assert.That(change.GetProperty("stream_time_s").GetDouble(), Is.EqualTo(20));
        var end = events.Single(e => e.GetProperty("kind").GetString() == "online_end");
        Assert.That(end.GetProperty("updates").GetInt64(), Is.GreaterThan(2000));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(runDir, "checkpoints")), Is.Not.Empty);
    }

    [Test]
    public void AnEnvInsteadOfAStreamIsRefusedWithTheReason()
    {
        File.WriteAllText(Path.Combine(dir, "exp.yaml"), """
            experiments:
              - name: online-env
                env: {id: CartPole-v1}
                agent: {algorithm: online-ac}
                training: {total_steps: 100}
                seeds: [0]
            """);
        var (code, _, _) = Rlplat("run", Path.Combine(dir, "exp.yaml"), "--out", Path.Combine(dir, "runs"));
        Assert.That(code, Is.EqualTo(1));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "runs", "online-env", "0", "summary.json")));
        Assert.That(summary.RootElement.GetProperty("error").GetString(), Does.Contain("give a connector (sensor-stream)"));
    }
}
