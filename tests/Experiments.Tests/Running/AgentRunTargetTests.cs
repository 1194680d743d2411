using System.Text.Json;
using RlPlat.Experiments.Cli;
using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Tests.Running;

[NonParallelizable]
public class AgentRunTargetTests : RunnerTestBase
{
    protected override string FolderPrefix => "rlplat-agent-run-";

    protected override void RegisterTargets() => AgentRunTarget.RegisterAll();

    [Test]
    public void PpoOnCartPoleTrainsThroughTheRunnerAndLearns()
    {
        File.WriteAllText(Path.Combine(dir, "exp.yaml"), """
            experiments:
              - name: ppo-small
                env: {id: CartPole-v1}
                n_envs: 8
                agent:
                  algorithm: ppo
                  hyperparameters: {n_steps: 32, batch_size: 256, gae_lambda: 0.8, gamma: 0.98, n_epochs: 20, learning_rate: lin_0.001, clip_range: lin_0.2}
                training: {total_steps: 30000, log_every_steps: 1000}
                evaluation: {every_steps: 10000, episodes: 5}
                checkpoints: {every_steps: 10000, keep: 1}
                seeds: [0]
            """);
        var (code, _, err) = Rlplat("run", Path.Combine(dir, "exp.yaml"), "--out", Path.Combine(dir, "runs"));
        Assert.That(code, Is.EqualTo(0), err);
        var runDir = Path.Combine(dir, "runs", "ppo-small", "0");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "summary.json")));
        var root = summary.RootElement;
        Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("completed"));
        // Random play on CartPole scores about 22; 30k steps of rl-zoo PPO reliably clears 150.
        Assert.That(root.GetProperty("final_eval_return").GetDouble(), Is.GreaterThan(150));
        var header = File.ReadLines(Path.Combine(runDir, "metrics.csv")).First();
        Assert.That(header, Does.Contain("episode_return"));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(runDir, "checkpoints")), Is.Not.Empty);
    }
}
