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
    public void NormalAndExponentialMatchNumpyZiggurat()
    {
        var g = new NpRandom(42);
        var normals = new double[5];
        var exps = new double[5];
        for (int i = 0; i < 5; i++) normals[i] = g.Normal();
        for (int i = 0; i < 5; i++) exps[i] = g.Exponential();
        Assert.That(normals, Is.EqualTo(new[] { 0.30471707975443135, -1.0399841062404955, 0.7504511958064572, 0.9405647163912139, -1.9510351886538364 }));
        Assert.That(exps, Is.EqualTo(new[] { 1.4526605157061507, 1.4099606942575735, 3.1242959565494974, 0.0792941971835091, 1.0465608465431644 }));
        var h = new NpRandom(9);
        Assert.That(h.Normal(2.0, 3.0), Is.EqualTo(-0.40851080794862993));
        Assert.That(h.Exponential(), Is.EqualTo(0.4935957821648901));
        Assert.That(h.Random(), Is.EqualTo(0.6031481500515619), "the same number of bits was consumed");
    }

    [Test]
    public void LongNormalAndExponentialStreamsIncludingTailsMatchNumpy()
    {
        // numpy: default_rng(7).standard_normal(200000): largest |x| at 100929 = 4.5228... (a tail draw), sum 190.8526...
        var g = new NpRandom(7);
        double sum = 0, max = 0;
        int argMax = -1;
        for (int i = 0; i < 200_000; i++)
        {
            double z = g.Normal();
            sum += z;
            if (Math.Abs(z) > max) (max, argMax) = (Math.Abs(z), i);
        }
        Assert.That(argMax, Is.EqualTo(100929));
        Assert.That(max, Is.EqualTo(4.522829666849905).Within(1e-15));
        Assert.That(sum, Is.EqualTo(190.85261457580407).Within(1e-9));
        // default_rng(8).standard_exponential(200000): largest at 190872 = 11.3366... (a tail draw), sum 200148.377...
        var e = new NpRandom(8);
        double esum = 0, emax = 0;
        int eArg = -1;
        for (int i = 0; i < 200_000; i++)
        {
            double x = e.Exponential();
            esum += x;
            if (x > emax) (emax, eArg) = (x, i);
        }
        Assert.That(eArg, Is.EqualTo(190872));
        Assert.That(emax, Is.EqualTo(11.336600586214217).Within(1e-14));
        Assert.That(esum, Is.EqualTo(200148.3770835153).Within(1e-6));
    }
}
