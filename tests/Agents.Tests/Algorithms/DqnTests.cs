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

public class PixelObservationTests
{
    [Test]
    public void PixelObservationsGoThroughTheCnnEncoderForDqnAndPpo()
    {
        var kwargs = new Dictionary<string, object?> { ["size"] = 12 };
        using var envs = EnvBatch.Make("CatchPixels-v0", 1, kwargs);
        Assert.That(envs.Spaces.ObservationShape, Is.EqualTo(new[] { 12, 12 }));
        var dqn = new Dqn(envs.Spaces, DqnOptions.From(new Dictionary<string, object?> { ["learning_starts"] = 16, ["batch_size"] = 8, ["train_freq"] = 4, ["buffer_size"] = 100 }), 0);
        var metrics = new List<IReadOnlyDictionary<string, double>>();
        Trainer.Train(dqn, envs, 64, [new LambdaCallback { Learned = (_, m) => metrics.Add(m) }], seed: 0);
        Assert.That(dqn.GetWeights().Names, Has.Some.StartsWith("encoder.cnn."));
        Assert.That(metrics, Is.Not.Empty);
        Assert.That(double.IsFinite(metrics[^1]["train/loss"]), Is.True);

        using var ppoEnvs = EnvBatch.Make("CatchPixels-v0", 2, kwargs);
        var ppo = new Ppo(ppoEnvs.Spaces, PpoOptions.From(new Dictionary<string, object?> { ["n_steps"] = 8, ["batch_size"] = 8, ["n_epochs"] = 1 }), 0);
        var context = Trainer.Train(ppo, ppoEnvs, 32, seed: 0);
        Assert.That(context.Updates, Is.EqualTo(2));
        Assert.That(ppo.GetWeights().Names, Has.Some.StartsWith("encoder.cnn."));
    }
}
