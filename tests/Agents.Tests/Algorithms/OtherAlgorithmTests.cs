using RlPlat.Agents.Algorithms;
using RlPlat.Agents.Tests.Support;
using RlPlat.Agents.Training;

namespace RlPlat.Agents.Tests.Algorithms;

public class OtherAlgorithmTests
{
    private static EnvBatch Chains(int n) =>
        new([.. Enumerable.Range(0, n).Select(_ => (RlPlat.Environments.IEnv)new ChainEnv(n: 6, maxSteps: 30, oneHot: true))]);

    private static EnvBatch Bandits(int n) =>
        new([.. Enumerable.Range(0, n).Select(_ => (RlPlat.Environments.IEnv)new ContinuousBanditEnv(0.5f))]);

    private static void AssertSolvesChain(IAgent agent)
    {
        using var evalEnvs = Chains(1);
        var result = Evaluation.Evaluate(agent, evalEnvs, episodes: 2);
        Assert.That(result.MeanReturn, Is.EqualTo(1.0));
        Assert.That(result.MeanLength, Is.EqualTo(5.0));
    }

    [Test]
    public void A2cLearnsTheChain()
    {
        using var envs = Chains(4);
        var agent = AgentFactory.Create("a2c", new Dictionary<string, object?> { ["learning_rate"] = 3e-3, ["ent_coef"] = 0.01, ["net_arch"] = new[] { 32 } }, envs.Spaces, seed: 0);
        var context = Trainer.Train(agent, envs, 8000, seed: 0);
        Assert.That(context.Updates, Is.EqualTo(8000 / (4 * 5)));
        AssertSolvesChain(agent);
    }

    [Test]
    public void ReinforceLearnsTheChain()
    {
        using var envs = Chains(4);
        var agent = AgentFactory.Create("reinforce", new Dictionary<string, object?> { ["n_steps"] = 64, ["learning_rate"] = 3e-3, ["net_arch"] = new[] { 32 } }, envs.Spaces, seed: 0);
        Trainer.Train(agent, envs, 12000, seed: 0);
        AssertSolvesChain(agent);
        Assert.Throws<ArgumentException>(() => AgentFactory.Create("reinforce", new Dictionary<string, object?> { ["gae_lambda"] = 0.9 }, envs.Spaces, 0));
    }

    [Test]
    public void SacLearnsTheBanditOptimumAndTunesItsEntropyCoefficient()
    {
        using var envs = Bandits(1);
        var agent = new Sac(envs.Spaces, SacOptions.From(new Dictionary<string, object?>
        {
            ["learning_rate"] = 3e-3, ["batch_size"] = 64, ["learning_starts"] = 100, ["net_arch"] = new[] { 32 }, ["gamma"] = 0.0,
        }), seed: 0);
        Trainer.Train(agent, envs, 1500, seed: 0);
        var action = new float[1];
        agent.Act([1f], 1, action, deterministic: true);
        Assert.That(action[0], Is.EqualTo(0.5f).Within(0.1f));
        // With the target entropy of -1 nat, alpha must have moved away from its initial 1.
        Assert.That(agent.EntCoef, Is.LessThan(0.9));
    }

    [Test]
    public void Td3LearnsTheBanditOptimum()
    {
        using var envs = Bandits(1);
        var agent = AgentFactory.Create("td3", new Dictionary<string, object?>
        {
            ["learning_rate"] = 3e-3, ["batch_size"] = 64, ["learning_starts"] = 100, ["net_arch"] = new[] { 32, 32 }, ["gamma"] = 0.0,
            ["action_noise_std"] = 0.1,
        }, envs.Spaces, seed: 0);
        Trainer.Train(agent, envs, 1500, seed: 0);
        var action = new float[1];
        agent.Act([1f], 1, action, deterministic: true);
        Assert.That(action[0], Is.EqualTo(0.5f).Within(0.1f));
    }

    [Test]
    public void ContinuousAgentsScaleActionsToTheBoxAndRejectDiscreteSpaces()
    {
        using var pendulum = EnvBatch.Make("Pendulum-v1", 1);
        var sac = new Sac(pendulum.Spaces, SacOptions.From(new Dictionary<string, object?> { ["learning_starts"] = 0, ["net_arch"] = new[] { 8 } }), 0);
        var actions = new float[64];
        var obs = new float[64 * 3];
        sac.Act(obs, 64, actions, deterministic: false);
        Assert.That(actions.Max(), Is.LessThanOrEqualTo(2f));
        Assert.That(actions.Min(), Is.GreaterThanOrEqualTo(-2f));
        Assert.That(actions.Max() - actions.Min(), Is.GreaterThan(1f), "samples should spread over the [-2, 2] torque range");
        using var cartPole = EnvBatch.Make("CartPole-v1", 1);
        var e = Assert.Throws<ArgumentException>(() => AgentFactory.Create("td3", null, cartPole.Spaces, 0));
        Assert.That(e!.Message, Does.Contain("Box action space"));
    }

    [Test]
    public void SacStateRoundTripRestoresNetworksOptimizersAndEntropyCoefficient()
    {
        using var envs = Bandits(1);
        var options = SacOptions.From(new Dictionary<string, object?> { ["learning_starts"] = 10, ["batch_size"] = 8, ["net_arch"] = new[] { 8 } });
        var a = new Sac(envs.Spaces, options, 1);
        Trainer.Train(a, envs, 50, seed: 1);
        var b = new Sac(envs.Spaces, options, 2);
        b.SetState(a.GetState());
        Assert.That(b.EntCoef, Is.EqualTo(a.EntCoef));
        Assert.That(b.NUpdates, Is.EqualTo(a.NUpdates));
        float[] x = new float[1], y = new float[1];
        a.Act([1f], 1, x, false);
        b.Act([1f], 1, y, false);
        Assert.That(y[0], Is.EqualTo(x[0]));
    }
}
