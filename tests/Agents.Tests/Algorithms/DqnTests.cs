using RlPlat.Agents.Algorithms;
using RlPlat.Agents.Tests.Support;
using RlPlat.Agents.Training;

namespace RlPlat.Agents.Tests.Algorithms;

public class DqnTests
{
    private static Dictionary<string, object?> ChainSettings(params (string, object?)[] extra)
    {
        var d = new Dictionary<string, object?>
        {
            ["learning_rate"] = 3e-3, ["buffer_size"] = 5000, ["learning_starts"] = 200, ["batch_size"] = 32, ["train_freq"] = 1,
            ["gradient_steps"] = 1, ["target_update_interval"] = 100, ["exploration_fraction"] = 0.5, ["exploration_final_eps"] = 0.05,
            ["gamma"] = 0.9, ["net_arch"] = new[] { 32 },
        };
        foreach (var (k, v) in extra) d[k] = v;
        return d;
    }

    [TestCase(false, false, false, 1)]
    [TestCase(true, true, true, 3)]
    public void LearnsTheChain(bool doubleQ, bool dueling, bool prioritized, int nStep)
    {
        using var envs = new EnvBatch([new ChainEnv(n: 6, maxSteps: 30, oneHot: true)]);
        var agent = AgentFactory.Create("dqn", ChainSettings(("double_q", doubleQ), ("dueling", dueling), ("prioritized_replay", prioritized), ("n_step", nStep)), envs.Spaces, seed: 0);
        Trainer.Train(agent, envs, 3000, seed: 0);
        using var evalEnvs = new EnvBatch([new ChainEnv(n: 6, maxSteps: 30, oneHot: true)]);
        var result = Evaluation.Evaluate(agent, evalEnvs, episodes: 3);
        Assert.That(result.MeanReturn, Is.EqualTo(1.0));
        Assert.That(result.MeanLength, Is.EqualTo(5.0));
    }

    [Test]
    public void ExplorationFollowsTheLinearScheduleAndTrainingStartsAfterWarmUp()
    {
        using var envs = new EnvBatch([new ChainEnv(oneHot: true)]);
        var agent = new Dqn(envs.Spaces, DqnOptions.From(ChainSettings(("train_freq", 4))), seed: 1);
        agent.SetProgressRemaining(1.0);
        Assert.That(agent.ExplorationRate, Is.EqualTo(1.0));
        agent.SetProgressRemaining(0.75);
        Assert.That(agent.ExplorationRate, Is.EqualTo(1.0 - 0.95 * 0.5).Within(1e-12));
        agent.SetProgressRemaining(0.2);
        Assert.That(agent.ExplorationRate, Is.EqualTo(0.05).Within(1e-12));
        var context = Trainer.Train(agent, envs, 400, seed: 1);
        // Learning starts once more than 200 steps are in, then every 4 steps: at 204, 208, ..., 400.
        Assert.That(context.Updates, Is.EqualTo(50));
        Assert.That(agent.NUpdates, Is.EqualTo(50));
    }
}
