using RlPlat.Agents.Buffers;
using RlPlat.Agents.Online;

namespace RlPlat.Agents.Tests.Online;

public class StreamingReplayTests
{
    private static void AddSteps(StreamingReplay r, int from, int count)
    {
        for (int i = from; i < from + count; i++) r.Add([i], [0], i, [i + 1], false, 0.99f);
    }

    [Test]
    public void FreshTransitionsComeOutOnceInArrivalOrder()
    {
        var r = new StreamingReplay(8, 1, 1);
        var batch = new ReplayBatch(3, 1, 1);
        AddSteps(r, 0, 5);
        Assert.That(r.Fresh, Is.EqualTo(5));
        Assert.That(r.TakeFresh(batch), Is.True);
        Assert.That(batch.Observations, Is.EqualTo(new float[] { 0, 1, 2 }));
        Assert.That(r.TakeFresh(batch), Is.False, "only 2 fresh left");
        AddSteps(r, 5, 1);
        Assert.That(r.TakeFresh(batch), Is.True);
        Assert.That(batch.Observations, Is.EqualTo(new float[] { 3, 4, 5 }));
        Assert.That(batch.NextObservations, Is.EqualTo(new float[] { 4, 5, 6 }));
    }

    [Test]
    public void FreshTransitionsOverwrittenBeforeTheyWereTakenAreSkipped()
    {
        var r = new StreamingReplay(4, 1, 1);
        var batch = new ReplayBatch(2, 1, 1);
        AddSteps(r, 0, 10);
        Assert.That(r.Fresh, Is.EqualTo(4));
        Assert.That(r.TakeFresh(batch), Is.True);
        Assert.That(batch.Observations, Is.EqualTo(new float[] { 6, 7 }));
    }

    [Test]
    public void RewardMeanAveragesAllStepsUntilTheWindowThenDecays()
    {
        var r = new StreamingReplay(16, 1, 1, rewardWindow: 4);
        Assert.That(r.RewardMean, Is.NaN);
        r.Add([0], [0], 1, [0], false, 1);
        r.Add([0], [0], 3, [0], false, 1);
        Assert.That(r.RewardMean, Is.EqualTo(2).Within(1e-9));
        r.Add([0], [0], 2, [0], false, 1);
        r.Add([0], [0], 6, [0], false, 1);
        Assert.That(r.RewardMean, Is.EqualTo(3).Within(1e-9));
        r.Add([0], [0], 7, [0], false, 1);
        Assert.That(r.RewardMean, Is.EqualTo(3 + (7 - 3) * 0.25).Within(1e-9));
    }
}
