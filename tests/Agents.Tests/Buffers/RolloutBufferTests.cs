using RlPlat.Agents.Buffers;
using RlPlat.Engine;

namespace RlPlat.Agents.Tests.Buffers;

public class RolloutBufferTests
{
    private static RolloutBuffer Filled(float[] rewards, float[] values, bool[] terminated, bool[] truncated, float[] truncatedValues)
    {
        var buffer = new RolloutBuffer(rewards.Length, 1, 1, 1);
        for (int t = 0; t < rewards.Length; t++)
            buffer.Add([t], [0], [rewards[t]], [terminated[t]], [truncated[t]], [values[t]], [0], [truncatedValues[t]]);
        return buffer;
    }

    [Test]
    public void GaeMatchesHandComputedValuesWithoutEpisodeEnd()
    {
        var b = Filled([1, 2, 3], [0.5f, 1f, 1.5f], [false, false, false], [false, false, false], [0, 0, 0]);
        b.ComputeReturnsAndAdvantages([2f], gamma: 0.9, gaeLambda: 0.8);
        // deltas: d2 = 3 + 0.9*2 - 1.5 = 3.3; d1 = 2 + 0.9*1.5 - 1 = 2.35; d0 = 1 + 0.9*1 - 0.5 = 1.4
        // A2 = 3.3; A1 = 2.35 + 0.72*3.3 = 4.726; A0 = 1.4 + 0.72*4.726 = 4.80272
        Assert.That(b.Advantages, Is.EqualTo(new[] { 4.80272f, 4.726f, 3.3f }).Within(1e-5));
        Assert.That(b.Returns, Is.EqualTo(new[] { 5.30272f, 5.726f, 4.8f }).Within(1e-5));
    }

    [Test]
    public void TerminationStopsBootstrapButTruncationBootstrapsFromFinalObservation()
    {
        // Step 1 ends the episode; the last value (9) belongs to the next episode and must not leak into step 1.
        var terminated = Filled([1, 1, 1], [0, 0, 0], [false, true, false], [false, false, false], [0, 0, 0]);
        terminated.ComputeReturnsAndAdvantages([9f], gamma: 0.5, gaeLambda: 1.0);
        Assert.That(terminated.Advantages, Is.EqualTo(new[] { 1.5f, 1f, 1f + 0.5f * 9f }).Within(1e-6));

        // Same rollout, but step 1 was truncated with V(final obs) = 4: delta1 = 1 + 0.5*4 = 3; A0 = 1 + 0.5*3 = 2.5.
        var truncated = Filled([1, 1, 1], [0, 0, 0], [false, false, false], [false, true, false], [0, 4, 0]);
        truncated.ComputeReturnsAndAdvantages([9f], gamma: 0.5, gaeLambda: 1.0);
        Assert.That(truncated.Advantages, Is.EqualTo(new[] { 2.5f, 3f, 5.5f }).Within(1e-6));
    }

    [Test]
    public void LayoutIsStepMajorAcrossEnvs()
    {
        var b = new RolloutBuffer(2, 2, 1, 1);
        b.Add([10, 20], [0, 1], [1, 2], [false, false], [false, false], [0, 0], [0, 0], [0, 0]);
        b.Add([11, 21], [1, 0], [3, 4], [false, false], [false, false], [0, 0], [0, 0], [0, 0]);
        Assert.That(b.Observations, Is.EqualTo(new float[] { 10, 20, 11, 21 }));
        b.ComputeReturnsAndAdvantages([0, 0], 1.0, 1.0);
        Assert.That(b.Returns, Is.EqualTo(new float[] { 4, 6, 3, 4 }));
    }

    [Test]
    public void ShuffleIsASeededPermutation()
    {
        var b = new RolloutBuffer(4, 2, 1, 1);
        int[] x = new int[8], y = new int[8];
        b.Shuffle(x, new Generator(3));
        b.Shuffle(y, new Generator(3));
        Assert.That(x, Is.EqualTo(y));
        Assert.That(x.Order(), Is.EqualTo(Enumerable.Range(0, 8)));
    }

    [Test]
    public void BadInputNamesTheProblem()
    {
        var b = new RolloutBuffer(1, 2, 3, 1);
        var e = Assert.Throws<ArgumentException>(() => b.Add(new float[5], new float[2], new float[2], new bool[2], new bool[2], new float[2], new float[2], new float[2]));
        Assert.That(e!.Message, Does.Contain("observations has 5 values, expected 6"));
        Assert.Throws<InvalidOperationException>(() => b.ComputeReturnsAndAdvantages([0, 0], 0.9, 0.9));
    }
}
