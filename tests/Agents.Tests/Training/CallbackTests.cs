using RlPlat.Agents.Examples;
using RlPlat.Agents.Tests.Support;
using RlPlat.Agents.Training;

namespace RlPlat.Agents.Tests.Training;

public class CallbackTests
{
    private static EnvBatch Chain() => new([new DiscreteChainEnv(n: 4, maxSteps: 20)]);

    [Test]
    public void EvalStopsAtThresholdAndCheckpointsAreWrittenOnSchedule()
    {
        using var envs = Chain();
        using var evalEnvs = Chain();
        var agent = new TabularQLearning(envs.Spaces, new Dictionary<string, object?> { ["learning_rate"] = 0.5 }, 2);
        var eval = new EvalCallback(evalEnvs, everySteps: 100, episodes: 3, rewardThreshold: 1.0);
        string dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ckpt-" + Guid.NewGuid().ToString("N"));
        var checkpoints = new CheckpointCallback(dir, everySteps: 50);
        var learned = new List<long>();
        var episodes = 0;
        var custom = new LambdaCallback { EpisodeEnd = (_, _) => episodes++ };
        var context = Trainer.Train(agent, envs, 100_000, [eval, checkpoints, custom], seed: 2);

        Assert.That(context.StopReason, Does.Contain(">= 1"));
        Assert.That(eval.ThresholdReachedAt, Is.EqualTo(context.NumTimesteps));
        Assert.That(context.NumTimesteps % 100, Is.EqualTo(0));
        Assert.That(eval.History[^1].Result.MeanReturn, Is.EqualTo(1.0));
        Assert.That(checkpoints.Saved, Has.Count.EqualTo(context.NumTimesteps / 50));
        Assert.That(File.Exists(Path.Combine(dir, "agent_50_steps.agent")), Is.True);
        Assert.That(Directory.GetFiles(dir, "*.tmp*"), Is.Empty);
        Assert.That(episodes, Is.EqualTo(context.Episodes));
        Assert.That(AgentState.Load(checkpoints.Saved[0]).Scalar("num_timesteps"), Is.EqualTo(50));
    }

    [Test]
    public void StepBudgetIsRespectedAcrossEnvs()
    {
        using var envs = new EnvBatch([new DiscreteChainEnv(), new DiscreteChainEnv(), new DiscreteChainEnv()]);
        var agent = new TabularQLearning(envs.Spaces, null, 0);
        var context = Trainer.Train(agent, envs, 100, seed: 0);
        // 34 batch steps of 3 envs: the first count >= 100.
        Assert.That(context.NumTimesteps, Is.EqualTo(102));
    }
}
