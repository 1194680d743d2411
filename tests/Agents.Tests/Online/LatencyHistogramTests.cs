using RlPlat.Agents.Online;

namespace RlPlat.Agents.Tests.Online;

public class LatencyHistogramTests
{
    [Test]
    public void PercentilesOfUniformMicrosecondsAreWithinThreePercent()
    {
        var h = new LatencyHistogram();
        for (int us = 1; us <= 1000; us++) h.Record(TimeSpan.FromMicroseconds(us));
        Assert.That(h.Count, Is.EqualTo(1000));
        Assert.That(h.Percentile(0.5).TotalMicroseconds, Is.EqualTo(500).Within(500 * 0.03));
        Assert.That(h.Percentile(0.95).TotalMicroseconds, Is.EqualTo(950).Within(950 * 0.03));
        Assert.That(h.Percentile(0.99).TotalMicroseconds, Is.EqualTo(990).Within(990 * 0.03));
        Assert.That(h.Percentile(1).TotalMicroseconds, Is.EqualTo(1000));
        Assert.That(h.Max, Is.EqualTo(TimeSpan.FromMicroseconds(1000)));
    }

    [Test]
    public void SmallDurationsAreExactAndNegativeOnesCountAsZero()
    {
        var h = new LatencyHistogram();
        h.Record(TimeSpan.FromTicks(3));
        h.Record(TimeSpan.FromTicks(7));
        h.Record(TimeSpan.FromTicks(-5));
        Assert.That(h.Percentile(0).Ticks, Is.EqualTo(0));
        Assert.That(h.Percentile(0.5).Ticks, Is.EqualTo(3));
        Assert.That(h.Percentile(1).Ticks, Is.EqualTo(7));
    }

    [Test]
    public void HoursLandInTheLastBucketsAndEmptyGivesZero()
    {
        var h = new LatencyHistogram();
        Assert.That(h.Percentile(0.99), Is.EqualTo(TimeSpan.Zero));
        h.Record(TimeSpan.FromHours(5));
        Assert.That(h.Percentile(0.5), Is.EqualTo(TimeSpan.FromHours(5)));
        h.Reset();
        Assert.That(h.Count, Is.EqualTo(0));
    }

    [Test]
    public void QuantileOutsideUnitIntervalIsRejected() =>
        Assert.That(() => new LatencyHistogram().Percentile(1.5), Throws.ArgumentException.With.Message.Contains("1.5"));

    [Test]
    public void RecordingFromFourThreadsLosesNothing()
    {
        var h = new LatencyHistogram();
        Parallel.For(0, 4, _ => { for (int i = 0; i < 10_000; i++) h.Record(TimeSpan.FromMicroseconds(10)); });
        Assert.That(h.Count, Is.EqualTo(40_000));
        Assert.That(h.Percentile(0.5).TotalMicroseconds, Is.EqualTo(10).Within(0.3));
    }
}
