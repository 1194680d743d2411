using RlPlat.Agents.Algorithms;
using RlPlat.Agents.Tests.Support;
using RlPlat.Agents.Training;

namespace RlPlat.Agents.Tests.Algorithms;

public class PpoTests
{
    [Test]
    public void LearnsCartPoleWithRlZooHyperparametersInASmallBudget()
    {
        using var envs = EnvBatch.Make("CartPole-v1", 8);
        using var evalEnvs = EnvBatch.Make("CartPole-v1", 1);
        var agent = AgentFactory.Create("ppo", RlZooDefaults.Merge("ppo", "CartPole-v1", null), envs.Spaces, seed: 0);
        var metrics = new List<IReadOnlyDictionary<string, double>>();
        Trainer.Train(agent, envs, 16_384, [new LambdaCallback { Learned = (_, m) => metrics.Add(m) }], seed: 0);
        var result = Evaluation.Evaluate(agent, evalEnvs, episodes: 10, seed: 100);
        Assert.That(result.MeanReturn, Is.GreaterThanOrEqualTo(150), $"mean return {result.MeanReturn}");
        // 16384 steps / (32 steps x 8 envs) = 64 rollouts, each 20 epochs of one 256-sample minibatch.
        Assert.That(metrics, Has.Count.EqualTo(64));
        Assert.That(metrics[^1]["train/n_updates"], Is.EqualTo(64 * 20));
        // lin_0.001 at the last update: progress remaining is 1 - 16128/16384 when the last rollout starts being learned.
        Assert.That(metrics[0]["train/learning_rate"], Is.LessThan(1e-3).And.GreaterThan(0.95e-3));
    }

    [Test]
    public void ApproxKlAndClipFractionAreZeroOnTheUnchangedPolicyAndPositiveOnceItMoves()
    {
        using var envs = EnvBatch.Make("CartPole-v1", 2);
        // One minibatch per epoch: the first update of a rollout runs on exactly the policy that collected it.
        var once = new Ppo(envs.Spaces, PpoOptions.From(new Dictionary<string, object?> { ["n_steps"] = 16, ["batch_size"] = 32, ["n_epochs"] = 1 }), seed: 5);
        var first = new List<IReadOnlyDictionary<string, double>>();
        Trainer.Train(once, envs, 32, [new LambdaCallback { Learned = (_, m) => first.Add(m) }], seed: 5);
        Assert.That(first, Has.Count.EqualTo(1));
        Assert.That(first[0]["train/approx_kl"], Is.EqualTo(0).Within(1e-6));
        Assert.That(first[0]["train/clip_fraction"], Is.EqualTo(0));

        // Ten epochs at a large learning rate move the policy: (r - 1) - log r > 0 for r != 1, and some ratios leave [0.8, 1.2].
        using var envs2 = EnvBatch.Make("CartPole-v1", 2);
        var many = new Ppo(envs2.Spaces, PpoOptions.From(new Dictionary<string, object?>
        {
            ["n_steps"] = 16, ["batch_size"] = 32, ["n_epochs"] = 10, ["learning_rate"] = 0.05,
        }), seed: 5);
        var moved = new List<IReadOnlyDictionary<string, double>>();
        Trainer.Train(many, envs2, 32, [new LambdaCallback { Learned = (_, m) => moved.Add(m) }], seed: 5);
        Assert.That(moved[0]["train/approx_kl"], Is.GreaterThan(1e-4));
        Assert.That(moved[0]["train/clip_fraction"], Is.GreaterThan(0).And.LessThanOrEqualTo(1));
    }

    [Test]
    public void ContinuousActionsLearnTheBanditOptimum()
    {
        using var envs = new EnvBatch([new ContinuousBanditEnv(), new ContinuousBanditEnv(), new ContinuousBanditEnv(), new ContinuousBanditEnv()]);
        var agent = new Ppo(envs.Spaces, PpoOptions.From(new Dictionary<string, object?>
        {
            ["n_steps"] = 64, ["batch_size"] = 64, ["n_epochs"] = 4, ["learning_rate"] = 3e-3, ["net_arch"] = new[] { 16 },
        }), seed: 1);
        Trainer.Train(agent, envs, 6000, seed: 1);
        var action = new float[1];
        agent.Act([1f], 1, action, deterministic: true);
        Assert.That(action[0], Is.EqualTo(0.5f).Within(0.1f));
    }

    [Test]
    public void MaskedActionsAreNeverSampled()
    {
        // DiscreteChainEnv throws when the masked action is taken.
        using var envs = new EnvBatch([new DiscreteChainEnv(masks: true), new DiscreteChainEnv(masks: true)]);
        var agent = new Ppo(envs.Spaces, PpoOptions.From(new Dictionary<string, object?> { ["n_steps"] = 16, ["batch_size"] = 8 }), seed: 2);
        var context = Trainer.Train(agent, envs, 1000, seed: 2);
        Assert.That(context.Updates, Is.EqualTo(1000 / 32));
    }

    [Test]
    public void WeightsAndStateRoundTripExactly()
    {
        using var envs = EnvBatch.Make("CartPole-v1", 2);
        var options = PpoOptions.From(new Dictionary<string, object?> { ["n_steps"] = 16, ["batch_size"] = 16, ["n_epochs"] = 2, ["normalize"] = true });
        var a = new Ppo(envs.Spaces, options, seed: 3);
        Trainer.Train(a, envs, 200, seed: 3);

        var b = new Ppo(envs.Spaces, options, seed: 4);
        b.SetState(AgentState.FromBytes(a.GetState().ToBytes()));
        Assert.That(b.NumTimesteps, Is.EqualTo(a.NumTimesteps));
        Assert.That(b.NUpdates, Is.EqualTo(a.NUpdates));
        float[] obs = [0.01f, -0.2f, 0.03f, 0.1f, -0.02f, 0.3f, -0.04f, 0.2f];
        float[] x = new float[2], y = new float[2];
        for (int i = 0; i < 10; i++)
        {
            a.Act(obs, 2, x, deterministic: false);
            b.Act(obs, 2, y, deterministic: false);
            Assert.That(y, Is.EqualTo(x));
        }

        var c = new Ppo(envs.Spaces, options, seed: 5);
        c.SetWeights(a.GetWeights());
        Assert.That(c.GetWeights().Values, Is.EqualTo(a.GetWeights().Values));
        var bad = new PolicyWeights();
        bad.Add("nope", [1], [0f]);
        var e = Assert.Throws<ArgumentException>(() => c.SetWeights(bad));
        Assert.That(e!.Message, Does.Contain("no entry"));
    }

    [Test]
    public void OptionsReadRlZooNamesAndRejectUnknownKeys()
    {
        var o = PpoOptions.From(new Dictionary<string, object?> { ["learning_rate"] = "lin_0.001", ["clip_range_vf"] = 0.2, ["target_kl"] = null, ["n_steps"] = 32.0 });
        Assert.That(o.LearningRate.At(0.5), Is.EqualTo(5e-4).Within(1e-12));
        Assert.That(o.ClipRangeVf, Is.EqualTo(0.2));
        Assert.That(o.TargetKl, Is.Null);
        Assert.That(o.NSteps, Is.EqualTo(32));
        var e = Assert.Throws<ArgumentException>(() => PpoOptions.From(new Dictionary<string, object?> { ["n_step"] = 3 }));
        Assert.That(e!.Message, Does.Contain("n_step"));
        Assert.Throws<ArgumentException>(() => PpoOptions.From(new Dictionary<string, object?> { ["learning_rate"] = "fast" }));
    }
}
