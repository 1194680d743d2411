using RlPlat.Agents.Buffers;
using RlPlat.Agents.Tests.Support;
using RlPlat.Agents.Training;
using RlPlat.Engine;

namespace RlPlat.Agents.Tests.Buffers;

/// <summary>Buffers saved into checkpoints: what comes back is what went in, so a loaded agent continues exactly.</summary>
public class BufferCheckpointTests
{
    private static ReplayBuffer Filled(ReplayBuffer buffer, int transitions)
    {
        for (int i = 0; i < transitions; i++) buffer.Add([i, -i], [i % 3], i * 10, [i + 1, -i - 1], isTerminal: i % 4 == 3, discount: 0.5f + i);
        return buffer;
    }

    [Test]
    public void ReplayBufferRoundTripKeepsSlotsPositionAndSampling()
    {
        var saved = Filled(new ReplayBuffer(5, 2, 1), 7);   // wrapped: slots hold 5, 6, 2, 3, 4; next is slot 2
        var loaded = new ReplayBuffer(5, 2, 1);
        loaded.Load(saved.Save());
        Assert.That((loaded.Count, loaded.Position), Is.EqualTo((5, 2)));
        var a = new ReplayBatch(16, 2, 1);
        var b = new ReplayBatch(16, 2, 1);
        saved.Sample(a, new Generator(3));
        loaded.Sample(b, new Generator(3));
        Assert.That(b.Observations, Is.EqualTo(a.Observations));
        Assert.That(b.NextObservations, Is.EqualTo(a.NextObservations));
        Assert.That(b.Actions, Is.EqualTo(a.Actions));
        Assert.That(b.Rewards, Is.EqualTo(a.Rewards));
        Assert.That(b.Terminated, Is.EqualTo(a.Terminated));
        Assert.That(b.Discounts, Is.EqualTo(a.Discounts));
        Assert.That(b.Indices, Is.EqualTo(a.Indices));
    }

    [Test]
    public void ReplayBufferPartialSaveKeepsTheNewestOldestFirst()
    {
        var saved = Filled(new ReplayBuffer(5, 2, 1), 7);
        var loaded = new ReplayBuffer(5, 2, 1);
        loaded.Load(saved.Save(maxTransitions: 3));   // transitions 4, 5, 6
        Assert.That((loaded.Count, loaded.Position), Is.EqualTo((3, 3)));
        var batch = new ReplayBatch(64, 2, 1);
        loaded.Sample(batch, new Generator(0));
        for (int k = 0; k < batch.Size; k++)
        {
            Assert.That(batch.Observations[2 * k], Is.EqualTo(batch.Indices[k] + 4f));
            Assert.That(batch.Rewards[k], Is.EqualTo((batch.Indices[k] + 4) * 10f));
        }
        loaded.Load(saved.Save(maxTransitions: 0));
        Assert.That((loaded.Count, loaded.Position), Is.EqualTo((0, 0)));
    }

    [Test]
    public void ReplayBufferLoadRejectsAnotherLayout()
    {
        var bytes = Filled(new ReplayBuffer(5, 2, 1), 3).Save();
        var e = Assert.Throws<ArgumentException>(() => new ReplayBuffer(8, 2, 1).Load(bytes));
        Assert.That(e!.Message, Does.Contain("capacity 5, this one has 8"));
        Assert.Throws<ArgumentException>(() => new ReplayBuffer(5, 2, 1).Load(bytes[..40]));
        Assert.Throws<ArgumentException>(() => new ReplayBuffer(5, 2, 1).Load(new RolloutBuffer(2, 1, 2, 1).Save()));
    }

    [Test]
    public void PrioritizedBufferRoundTripKeepsPriorities()
    {
        var saved = (PrioritizedReplayBuffer)Filled(new PrioritizedReplayBuffer(6, 2, 1, alpha: 0.6), 4);
        saved.UpdatePriorities([0, 2], [3f, 0.5f]);
        var loaded = new PrioritizedReplayBuffer(6, 2, 1, alpha: 0.6);
        loaded.Load(saved.Save());
        for (int slot = 0; slot < 6; slot++) Assert.That(loaded.PriorityOf(slot), Is.EqualTo(saved.PriorityOf(slot)));
        // The largest priority seen also comes back: a new transition gets it.
        saved.Add([9, 9], [1], 0, [9, 9], false, 1);
        loaded.Add([9, 9], [1], 0, [9, 9], false, 1);
        Assert.That(loaded.PriorityOf(4), Is.EqualTo(Math.Pow(3 + 1e-6, 0.6)).Within(1e-12));
        Assert.That(loaded.PriorityOf(4), Is.EqualTo(saved.PriorityOf(4)));
    }

    [Test]
    public void RolloutBufferRoundTripMidRollout()
    {
        var saved = new RolloutBuffer(4, 2, 1, 1, actionCount: 2);
        for (int t = 0; t < 3; t++)
            saved.Add([t, t + 0.5f], [1, 0], [t, -t], [false, t == 1], [t == 2, false], [0.1f * t, 0.2f], [-0.5f, -t], [7, 8], [true, false, true, true]);
        var loaded = RolloutBuffer.Load(saved.Save());
        Assert.That((loaded.NSteps, loaded.NumEnvs, loaded.StepsStored, loaded.ActionCount), Is.EqualTo((4, 2, 3, 2)));
        Assert.That(loaded.Observations[..6], Is.EqualTo(saved.Observations[..6]));
        Assert.That(loaded.Rewards[..6], Is.EqualTo(saved.Rewards[..6]));
        Assert.That(loaded.Terminated[..6], Is.EqualTo(saved.Terminated[..6]));
        Assert.That(loaded.Truncated[..6], Is.EqualTo(saved.Truncated[..6]));
        Assert.That(loaded.LogProbs[..6], Is.EqualTo(saved.LogProbs[..6]));
        Assert.That(loaded.ActionMasks![..12], Is.EqualTo(saved.ActionMasks![..12]));
        // Both finish the rollout with the same step and give the same advantages.
        foreach (var b in new[] { saved, loaded }) b.Add([3, 3.5f], [0, 1], [1, 1], [true, false], [false, false], [0.3f, 0.4f], [-1, -1], [0, 0]);
        saved.ComputeReturnsAndAdvantages([0.5f, 0.25f], 0.9, 0.95);
        loaded.ComputeReturnsAndAdvantages([0.5f, 0.25f], 0.9, 0.95);
        Assert.That(loaded.Advantages, Is.EqualTo(saved.Advantages));
    }

    [Test]
    public void NStepAccumulatorKeepsPendingSteps()
    {
        var a = new ReplayBuffer(10, 1, 1);
        var b = new ReplayBuffer(10, 1, 1);
        var acc = new NStepAccumulator(a, 1, 3, 0.5);
        acc.Add(0, [0], [1], 1, [1], false, false);
        acc.Add(0, [1], [1], 2, [2], false, false);
        var loaded = NStepAccumulator.Load(b, 3, 0.5, acc.Save());
        acc.Add(0, [2], [0], 4, [3], false, false);
        loaded.Add(0, [2], [0], 4, [3], false, false);
        var batch = new ReplayBatch(1, 1, 1);
        b.Sample(batch, new Generator(0));
        Assert.That((b.Count, batch.Observations[0], batch.Rewards[0], batch.Discounts[0]), Is.EqualTo((1, 0f, 1 + 0.5f * 2 + 0.25f * 4, 0.125f)));
        Assert.That(a.Count, Is.EqualTo(1));
    }

    [TestCase("dqn", true)]
    [TestCase("dqn", false)]
    [TestCase("ppo", true)]
    public void LoadedAgentContinuesExactlyAsTheOriginal(string algorithm, bool withReplay)
    {
        var settings = algorithm == "dqn"
            ? new Dictionary<string, object?> { ["learning_starts"] = 50, ["buffer_size"] = 1000, ["batch_size"] = 16, ["train_freq"] = 2, ["n_step"] = 2, ["net_arch"] = new[] { 16 } }
            : new Dictionary<string, object?> { ["n_steps"] = 24, ["batch_size"] = 12, ["n_epochs"] = 2, ["normalize"] = true, ["net_arch"] = new[] { 16 } };
        using var envs = new EnvBatch([new ChainEnv(oneHot: true)]);
        var original = AgentFactory.Create(algorithm, settings, envs.Spaces, seed: 4);
        Trainer.Train(original, envs, 130, seed: 4);   // mid-rollout for PPO (130 = 5 * 24 + 10), pending n-step for DQN
        if (original is RlPlat.Agents.Algorithms.OffPolicyAgent off) off.ReplayTransitionsSaved = withReplay ? int.MaxValue : 0;
        var copy = AgentFactory.Create(algorithm, settings, envs.Spaces, seed: 99);
        copy.SetState(AgentState.FromBytes(original.GetState().ToBytes()));

        using var envsA = new EnvBatch([new ChainEnv(oneHot: true)]);
        using var envsB = new EnvBatch([new ChainEnv(oneHot: true)]);
        Trainer.Train(original, envsA, 200, seed: 7);
        Trainer.Train(copy, envsB, 200, seed: 7);
        float[] wa = original.GetWeights().Values.SelectMany(v => v).ToArray(), wb = copy.GetWeights().Values.SelectMany(v => v).ToArray();
        if (withReplay) Assert.That(wb, Is.EqualTo(wa));
        else Assert.That(wb, Is.Not.EqualTo(wa));   // an empty buffer samples other minibatches: the runs part ways
        Assert.That(copy.NumTimesteps, Is.EqualTo(original.NumTimesteps));
    }
}
