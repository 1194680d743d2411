using RlPlat.Agents.Tests.Support;
using RlPlat.Agents.Training;
using RlPlat.Environments;

namespace RlPlat.Agents.Tests.Training;

public class EnvBatchTests
{
    [Test]
    public void AutoresetKeepsFinalObservationInTransitionsAndCountsEpisodes()
    {
        using var envs = new EnvBatch([new ChainEnv(n: 3), new ChainEnv(n: 3, maxSteps: 1)]);
        envs.Reset(seed: 0);
        var t = new TransitionBatch(2, 1, 1);
        envs.Step([1f, 0f], t);
        // Env 1 was truncated after one step: its final observation (0) is in NextObservations, and it was reset.
        Assert.That(t.NextObservations, Is.EqualTo(new float[] { 1, 0 }));
        Assert.That(t.Truncated, Is.EqualTo(new[] { false, true }));
        Assert.That(envs.CompletedEpisodes.ToArray(), Is.EqualTo(new[] { new EpisodeResult(1, 0, 1, false) }));
        envs.Step([1f, 1f], t);
        // Env 0 reached state 2 (terminal, reward 1) and was reset to 0; env 1 moved right then was truncated.
        Assert.That(t.Observations, Is.EqualTo(new float[] { 1, 0 }));
        Assert.That(t.NextObservations, Is.EqualTo(new float[] { 2, 1 }));
        Assert.That(t.Rewards, Is.EqualTo(new float[] { 1, 0 }));
        Assert.That(t.Terminated, Is.EqualTo(new[] { true, false }));
        Assert.That(envs.Observations, Is.EqualTo(new float[] { 0, 0 }));
        Assert.That(envs.CompletedEpisodes.ToArray(), Is.EqualTo(new[] { new EpisodeResult(0, 1, 2, true), new EpisodeResult(1, 0, 1, false) }));
    }

    [Test]
    public void DiscreteObservationsAreOneHotAndMasksAreRead()
    {
        using var envs = new EnvBatch([new DiscreteChainEnv(n: 3, masks: true)]);
        envs.Reset(0);
        Assert.That(envs.Observations, Is.EqualTo(new float[] { 1, 0, 0 }));
        Assert.That(envs.ActionMasks, Is.EqualTo(new[] { false, true }));
        var t = new TransitionBatch(1, 3, 1, 2);
        envs.Step([1f], t);
        Assert.That(envs.Observations, Is.EqualTo(new float[] { 0, 1, 0 }));
        Assert.That(envs.ActionMasks, Is.EqualTo(new[] { true, true }));
    }

    [Test]
    public void ContinuousActionsAreClippedToTheBoxButReportedUnclipped()
    {
        using var envs = EnvBatch.Make("Pendulum-v1", 1);
        envs.Reset(1);
        var t = new TransitionBatch(1, 3, 1);
        envs.Step([5f], t);
        var pendulum = (RlPlat.Environments.ClassicControl.Pendulum)envs[0].UnwrappedEnv;
        Assert.That(pendulum.LastTorque, Is.EqualTo(2f));
        Assert.That(t.Actions[0], Is.EqualTo(5f));
    }

    [Test]
    public void MismatchedEnvsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new EnvBatch([new ChainEnv(), Gym.Make("CartPole-v1")]));
        Assert.That(e!.Message, Does.Contain("env 1"));
    }
}
