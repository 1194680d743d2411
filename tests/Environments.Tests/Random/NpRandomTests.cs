namespace RlPlat.Environments.Tests.Random;

/// <summary>Numbers checked against numpy 1.24.2 (/usr/bin/python3) on this machine.</summary>
public class NpRandomTests
{
    [Test]
    public void SeedSequencePoolAndStateMatchNumpy()
    {
        var ss = new SeedSequence(42);
        Assert.That(ss.Pool, Is.EqualTo(new uint[] { 1662858758, 128880814, 1875164712, 753753205 }));
        Assert.That(ss.GenerateState64(4), Is.EqualTo(new ulong[] { 11465652750463011511, 15382171918060459190, 9018504550953525431, 3703499796004394495 }));
        Assert.That(new SeedSequence((1UL << 40) + 5).Pool, Is.EqualTo(new uint[] { 2635101428, 3437552004, 3468235908, 3153711952 }));
    }

    [Test]
    public void RandomAndUniformMatchNumpyDefaultRng()
    {
        var g = new NpRandom(42);
        Assert.That(g.Random(), Is.EqualTo(0.7739560485559633));
        Assert.That(g.Random(), Is.EqualTo(0.4388784397520523));
        Assert.That(g.Uniform(-0.05, 0.05), Is.EqualTo(0.03585979199113824));
        Assert.That(new NpRandom(1L << 33).Random(), Is.EqualTo(0.08082403917318748));
    }

    [Test]
    public void UniformVectorMatchesNumpy()
    {
        var g = new NpRandom(3);
        var x = new double[4];
        g.Uniform([-0.05, -0.05, -0.05, -0.05], [0.05, 0.05, 0.05, 0.05], x);
        Assert.That(x, Is.EqualTo(new[] { -0.04143508328563757, -0.02631894934039003, 0.030127446520639686, 0.008216203606436781 }));
    }

    [Test]
    public void IntegersMatchNumpyLemireFor32And64BitRanges()
    {
        var g = new NpRandom(0);
        var small = new long[8];
        for (int i = 0; i < 8; i++) small[i] = g.Integers(0, 2);
        Assert.That(small, Is.EqualTo(new long[] { 1, 1, 1, 0, 0, 0, 0, 0 }));
        Assert.That(g.Integers(0, 1_000_000_000_000), Is.EqualTo(813270239200));
        Assert.That(g.Integers(-5, 1000), Is.EqualTo(647));
        Assert.That(g.Random(), Is.EqualTo(0.6066357757671799));
    }

    [Test]
    public void Int8IntegersMatchNumpyByteBuffer()
    {
        var g = new NpRandom(7);
        var a = new sbyte[12];
        var b = new sbyte[5];
        g.IntegersInt8(0, 2, a);
        g.IntegersInt8(0, 2, b);
        Assert.That(a, Is.EqualTo(new sbyte[] { 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1 }));
        Assert.That(b, Is.EqualTo(new sbyte[] { 1, 1, 1, 1, 0 }));
    }

    [Test]
    public void NegativeSeedIsRejectedWithItsValue()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new NpRandom(-3));
        Assert.That(ex!.Message, Does.Contain("-3"));
    }

    [Test]
    public void NormalAndExponentialHaveTheRightMoments()
    {
        var g = new NpRandom(1);
        double sum = 0, sq = 0, esum = 0;
        const int n = 200_000;
        for (int i = 0; i < n; i++)
        {
            double z = g.Normal();
            sum += z;
            sq += z * z;
            esum += g.Exponential();
        }
        Assert.That(sum / n, Is.EqualTo(0).Within(0.01));
        Assert.That(sq / n, Is.EqualTo(1).Within(0.01));
        Assert.That(esum / n, Is.EqualTo(1).Within(0.01));
    }
}
