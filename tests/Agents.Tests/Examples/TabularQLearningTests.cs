using RlPlat.Agents.Examples;
using RlPlat.Agents.Tests.Support;
using RlPlat.Agents.Training;

namespace RlPlat.Agents.Tests.Examples;

public class TabularQLearningTests
{
    private static EnvBatch Chain(bool masks = false) => new([new DiscreteChainEnv(n: 6, maxSteps: 30, masks: masks)]);

    [Test]
    public void LearnsTheChainThroughTheSharedTrainingLoop()
    {
        using var envs = Chain();
        var agent = AgentFactory.Create("tabular_q", new Dictionary<string, object?> { ["learning_rate"] = 0.5, ["gamma"] = 0.9 }, envs.Spaces, seed: 1);
        Trainer.Train(agent, envs, 3000, seed: 1);
        using var evalEnvs = Chain();
        var result = Evaluation.Evaluate(agent, evalEnvs, episodes: 5);
        Assert.That(result.MeanReturn, Is.EqualTo(1.0));
        Assert.That(result.MeanLength, Is.EqualTo(5.0));
        var q = (TabularQLearning)agent;
        // Q*(s, right) = gamma^(steps to goal - 1): from state 4 the goal is one step away.
        Assert.That(q.Q(4, 1), Is.EqualTo(1.0).Within(1e-3));
        Assert.That(q.Q(3, 1), Is.EqualTo(0.9).Within(1e-2));
    }

    [Test]
    public void MaskedActionsAreNeverTaken()
    {
        // The env throws if the masked action is taken, so finishing the run proves the mask was respected.
        using var envs = Chain(masks: true);
        var agent = new TabularQLearning(envs.Spaces, null, 3);
        var context = Trainer.Train(agent, envs, 2000, seed: 3);
        Assert.That(context.Episodes, Is.GreaterThan(10));
    }

    [Test]
    public void FactoryBuildsCustomAgentsByTypeNameAndRejectsUnknownNames()
    {
        using var envs = Chain();
        var agent = AgentFactory.Create("RlPlat.Agents.Examples.TabularQLearning, RlPlat.Agents", null, envs.Spaces, 0);
        Assert.That(agent, Is.InstanceOf<TabularQLearning>());
        var unknown = Assert.Throws<ArgumentException>(() => AgentFactory.Create("nope", null, envs.Spaces, 0));
        Assert.That(unknown!.Message, Does.Contain("unknown algorithm 'nope'"));
        var typo = Assert.Throws<ArgumentException>(() => AgentFactory.Create("tabular_q", new Dictionary<string, object?> { ["gama"] = 0.9 }, envs.Spaces, 0));
        Assert.That(typo!.Message, Does.Contain("gama"));
    }

    [Test]
    public void SavedStateRestoresTableCountersAndRandomStream()
    {
        using var envs = Chain();
        var a = new TabularQLearning(envs.Spaces, null, 5);
        Trainer.Train(a, envs, 500, seed: 5);
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "tabular.agent");
        a.GetState().Save(path);
        var b = new TabularQLearning(envs.Spaces, null, 99);
        b.SetState(AgentState.Load(path));
        Assert.That(b.NumTimesteps, Is.EqualTo(500));
        Assert.That(b.Q(2, 1), Is.EqualTo(a.Q(2, 1)).Within(1e-6));
        // Same RNG state: the same stochastic actions follow.
        float[] obs = [1, 0, 0, 0, 0, 0];
        var x = new float[1];
        var y = new float[1];
        a.SetProgressRemaining(1);
        b.SetProgressRemaining(1);
        for (int i = 0; i < 20; i++)
        {
            a.Act(obs, 1, x, false);
            b.Act(obs, 1, y, false);
            Assert.That(y[0], Is.EqualTo(x[0]));
        }
    }
}
