using RlPlat.Agents.Buffers;
using RlPlat.Engine;

namespace RlPlat.Agents.Tests.Buffers;

public class ReplayBufferTests
{
    [Test]
    public void CircularBufferOverwritesOldestAndSamplesStoredTransitions()
    {
        var buffer = new ReplayBuffer(3, 1, 1);
        for (int i = 0; i < 5; i++) buffer.Add([i], [i % 2], i * 10, [i + 1], isTerminal: i == 4, discount: 0.9f);
        Assert.That(buffer.Count, Is.EqualTo(3));
        var batch = new ReplayBatch(64, 1, 1);
        buffer.Sample(batch, new Generator(1));
        for (int k = 0; k < batch.Size; k++)
        {
            float o = batch.Observations[k];
            Assert.That(o, Is.AnyOf(2f, 3f, 4f));
            Assert.That(batch.Rewards[k], Is.EqualTo(o * 10));
            Assert.That(batch.NextObservations[k], Is.EqualTo(o + 1));
            Assert.That(batch.Terminated[k], Is.EqualTo(o == 4 ? 1f : 0f));
            Assert.That(batch.Weights[k], Is.EqualTo(1f));
        }
    }

    [Test]
    public void SumTreeSumsFindsPrefixAndTracksMinimum()
    {
        var tree = new SumTree(5);
        double[] p = [1, 0, 3, 2, 4];
        for (int i = 0; i < p.Length; i++) tree.Set(i, p[i]);
        Assert.That(tree.Total, Is.EqualTo(10));
        Assert.That(tree.Min, Is.EqualTo(0));
        Assert.That(tree.Find(0.5), Is.EqualTo(0));
        Assert.That(tree.Find(1.0), Is.EqualTo(2));
        Assert.That(tree.Find(3.99), Is.EqualTo(2));
        Assert.That(tree.Find(4.0), Is.EqualTo(3));
        Assert.That(tree.Find(9.99), Is.EqualTo(4));
        tree.Set(1, 5);
        Assert.That(tree.Min, Is.EqualTo(1));
        Assert.That(tree.Total, Is.EqualTo(15));
        Assert.Throws<ArgumentException>(() => tree.Set(5, 1));
        Assert.Throws<ArgumentException>(() => tree.Set(0, -1));
    }

    [Test]
    public void PrioritizedSamplingFollowsPrioritiesAndWeightsCorrectBias()
    {
        var buffer = new PrioritizedReplayBuffer(4, 1, 1, alpha: 1.0, epsilon: 0) { Beta = 1.0 };
        for (int i = 0; i < 4; i++) buffer.Add([i], [0], 0, [0], false, 0.99f);
        buffer.UpdatePriorities([0, 1, 2, 3], [1, 1, 1, 5]);
        var batch = new ReplayBatch(800, 1, 1);
        buffer.Sample(batch, new Generator(7));
        int slot3 = 0;
        for (int k = 0; k < batch.Size; k++)
        {
            bool high = batch.Indices[k] == 3;
            if (high) slot3++;
            // w = (N P)^-1 / max w: P = 5/8 for slot 3, 1/8 otherwise; max weight is the low-priority one.
            Assert.That(batch.Weights[k], Is.EqualTo(high ? 0.2f : 1f).Within(1e-6));
        }
        // Stratified sampling gives exactly 5/8 of the draws to slot 3.
        Assert.That(slot3, Is.EqualTo(500).Within(2));
    }

    [Test]
    public void NewTransitionsGetTheMaximumPriority()
    {
        var buffer = new PrioritizedReplayBuffer(4, 1, 1, alpha: 0.5, epsilon: 0);
        buffer.Add([0], [0], 0, [0], false, 1);
        buffer.UpdatePriorities([0], [9]);
        int slot = buffer.Add([1], [0], 0, [0], false, 1);
        Assert.That(buffer.PriorityOf(slot), Is.EqualTo(3.0).Within(1e-12));
    }

    [Test]
    public void NStepReturnsDiscountAndStopAtEpisodeEnd()
    {
        var buffer = new ReplayBuffer(16, 1, 1);
        var acc = new NStepAccumulator(buffer, numEnvs: 1, nSteps: 3, gamma: 0.5);
        // Episode: s0 -r1-> s1 -r2-> s2 -r4-> s3 -r8-> s4 (terminal).
        acc.Add(0, [0], [0], 1, [1], false, false);
        acc.Add(0, [1], [0], 2, [2], false, false);
        Assert.That(buffer.Count, Is.EqualTo(0));
        acc.Add(0, [2], [0], 4, [3], false, false);
        acc.Add(0, [3], [0], 8, [4], true, false);
        Assert.That(buffer.Count, Is.EqualTo(4));
        var batch = new ReplayBatch(4, 1, 1);
        var rows = new Dictionary<float, (float R, float Next, float Term, float Disc)>();
        var rng = new Generator(0);
        while (rows.Count < 4)
        {
            buffer.Sample(batch, rng);
            for (int k = 0; k < 4; k++) rows[batch.Observations[k]] = (batch.Rewards[k], batch.NextObservations[k], batch.Terminated[k], batch.Discounts[k]);
        }
        Assert.That(rows[0], Is.EqualTo((1 + 0.5f * 2 + 0.25f * 4, 3f, 0f, 0.125f)));
        Assert.That(rows[1], Is.EqualTo((2 + 0.5f * 4 + 0.25f * 8, 4f, 1f, 0.125f)));
        Assert.That(rows[2], Is.EqualTo((4 + 0.5f * 8, 4f, 1f, 0.25f)));
        Assert.That(rows[3], Is.EqualTo((8f, 4f, 1f, 0.5f)));
    }

    [Test]
    public void NStepTruncationBootstrapsFromTheFinalObservation()
    {
        var buffer = new ReplayBuffer(4, 1, 1);
        var acc = new NStepAccumulator(buffer, 1, 2, 0.9);
        acc.Add(0, [0], [1], 1, [7], false, truncated: true);
        var batch = new ReplayBatch(1, 1, 1);
        buffer.Sample(batch, new Generator(0));
        Assert.That((batch.Rewards[0], batch.NextObservations[0], batch.Terminated[0], batch.Discounts[0]), Is.EqualTo((1f, 7f, 0f, 0.9f)));
    }
}
