using RlPlat.Agents.Normalization;

namespace RlPlat.Agents.Tests.Normalization;

public class NormalizerTests
{
    [Test]
    public void ObservationsAreCenteredScaledAndClipped()
    {
        var n = new ObservationNormalizer(2, clip: 5);
        n.Update([1, 10, 3, 30]);
        // Mean (2, 20), population variance (1, 100) (up to the 1e-4 prior count).
        var dst = new float[4];
        n.Normalize([3, 20, 2, 1000], dst);
        Assert.That(dst, Is.EqualTo(new[] { 1f, 0f, 0f, 5f }).Within(1e-3));
    }

    [Test]
    public void RewardsAreScaledByTheStdOfTheDiscountedReturnAndResetAtEpisodeEnd()
    {
        var n = new RewardNormalizer(gamma: 0.5);
        Span<float> r = [1f];
        n.UpdateAndScale(r, [false], [false]);
        r[0] = 1f;
        n.UpdateAndScale(r, [false], [true]);
        // Returns seen: 1, then 0.5 * 1 + 1 = 1.5: variance 0.0625, std 0.25, so the reward 1 becomes 4.
        Assert.That(r[0], Is.EqualTo(4f).Within(1e-2));
        r[0] = 1f;
        n.UpdateAndScale(r, [false], [false]);
        // After the truncation the return restarted at 1: returns 1, 1.5, 1 have std sqrt(1/18).
        Assert.That(r[0], Is.EqualTo((float)(1 / Math.Sqrt(1.0 / 18))).Within(1e-2));
    }
}
