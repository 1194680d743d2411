namespace RlPlat.Environments.Tests.Spaces;

public class SpaceTests
{
    [Test]
    public void DiscreteSampleMatchesNumpyIntegersWithStart()
    {
        var d = new Discrete(2, start: 5);
        d.Seed(0);
        var xs = new int[8];
        for (int i = 0; i < 8; i++) xs[i] = d.Sample();
        Assert.That(xs, Is.EqualTo(new[] { 6, 6, 6, 5, 5, 5, 5, 5 }));
        Assert.That(d.Contains(5) && d.Contains(6) && !d.Contains(7) && !d.Contains(4), Is.True);
    }

    [Test]
    public void DiscreteMaskedSampleMatchesNumpyChoice()
    {
        // numpy: g = default_rng(5); g.choice([1,3,4]) -> 4; g.choice([0,2]) -> 2; g.integers(3) -> 0
        var d = new Discrete(5);
        d.Seed(5);
        Assert.That(d.Sample([0, 1, 0, 1, 1]), Is.EqualTo(4));
        Assert.That(d.Sample([1, 0, 1, 0, 0]), Is.EqualTo(2));
        Assert.That(d.Sample([0, 0, 0, 0, 0]), Is.EqualTo(0), "no allowed action gives start");
        Assert.That(d.NpRandom.Integers(0, 3), Is.EqualTo(0), "the empty mask draws nothing");
    }

    [Test]
    public void DiscreteMaskWithWrongLengthNamesIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Discrete(3).Sample([1, 1]));
        Assert.That(ex!.Message, Does.Contain("length 2").And.Contain("expected 3"));
    }

    [Test]
    public void MultiDiscreteSampleMatchesNumpyAndRespectsMasks()
    {
        var m = new MultiDiscrete([3, 5, 7]);
        m.Seed(11);
        Assert.That(m.Sample(), Is.EqualTo(new[] { 0, 2, 4 }));
        for (int i = 0; i < 50; i++)
        {
            int[] x = m.Sample([[0, 0, 1], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1, 1]]);
            Assert.That(x[0], Is.EqualTo(2));
            Assert.That(x[1], Is.EqualTo(0));
            Assert.That(x[2], Is.AnyOf(5, 6));
        }
        Assert.That(m.Contains([2, 4, 6]), Is.True);
        Assert.That(m.Contains([3, 0, 0]), Is.False);
        Assert.That(m.Contains([0, 0]), Is.False);
    }

    [Test]
    public void MultiBinarySampleMatchesNumpyInt8()
    {
        var mb = new MultiBinary(12);
        mb.Seed(7);
        Assert.That(mb.Sample(), Is.EqualTo(new byte[] { 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1 }));
        Assert.That(mb.Contains([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2]), Is.False);
        Assert.That(mb.Sample([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])[0..2], Is.EqualTo(new byte[] { 0, 1 }));
    }

    [Test]
    public void BoundedBoxSampleIsNumpyUniformCastToFloat32()
    {
        var box = new Box(-0.05, 0.05, [4]);
        box.Seed(3);
        var x = (float[])box.Sample();
        // numpy: default_rng(3).uniform(float32(-0.05), float32(0.05), 4).astype(float32): the bounds are float32 values.
        Assert.That(x, Is.EqualTo(new[] { -0.041435085237026215f, -0.026318950578570366f, 0.030127447098493576f, 0.00821620412170887f }));
        Assert.That(box.Contains(x), Is.True);
        Assert.That(box.Contains(new[] { 0f, 0f, 0f, 0.06f }), Is.False);
        Assert.That(box.Contains(new[] { 0f, 0f, float.NaN, 0f }), Is.False);
        Assert.That(box.Contains(new double[] { 0, 0, 0, 0 }), Is.False, "a float64 array is not in a float32 box");
    }

    [Test]
    public void HalfBoundedAndUnboundedBoxDimsFollowGymnasiumRules()
    {
        var box = new Box([0, double.NegativeInfinity, double.NegativeInfinity, -1], [double.PositiveInfinity, 3, double.PositiveInfinity, 1], dtype: BoxDType.Float64);
        box.Seed(1);
        double minLowBounded = double.MaxValue, maxUpBounded = double.MinValue, sumUnbounded = 0, sumLow = 0;
        const int n = 20000;
        for (int i = 0; i < n; i++)
        {
            var x = (double[])box.Sample();
            Assert.That(box.Contains(x), Is.True);
            minLowBounded = Math.Min(minLowBounded, x[0]);
            maxUpBounded = Math.Max(maxUpBounded, x[1]);
            sumUnbounded += x[2];
            sumLow += x[0];
        }
        Assert.That(minLowBounded, Is.GreaterThanOrEqualTo(0));
        Assert.That(sumLow / n, Is.EqualTo(1.0).Within(0.05), "low + Exponential(1) has mean low + 1");
        Assert.That(maxUpBounded, Is.LessThanOrEqualTo(3));
        Assert.That(sumUnbounded / n, Is.EqualTo(0.0).Within(0.05));
    }

    [Test]
    public void IntegerBoxSamplesInclusiveHighAndFloats()
    {
        var box = new Box(0, 3, [1000], BoxDType.UInt8);
        box.Seed(2);
        var x = (byte[])box.Sample();
        var seen = new HashSet<byte>(x);
        Assert.That(seen, Is.EquivalentTo(new byte[] { 0, 1, 2, 3 }));
        Assert.That(box.Contains(new byte[1000]), Is.True);
        Assert.That(box.Contains(new float[1000]), Is.False);
    }

    [Test]
    public void Float32BoxBoundsAreRoundedToFloat32()
    {
        var box = new Box(-0.1, 0.1, [2]);
        Assert.That(box.High[0], Is.EqualTo((double)0.1f));
        Assert.That(box.Contains(new[] { 0.1f, -0.1f }), Is.True);
    }

    [Test]
    public void BoxRejectsInvertedBoundsNamingThem()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new Box([0, 2], [1, 1]));
        Assert.That(ex!.Message, Does.Contain("bound 1").And.Contain("low 2"));
    }

    [Test]
    public void SameSeedGivesSameSamples()
    {
        var a = new Box(-1, 1, [3]);
        var b = new Box(-1, 1, [3]);
        a.Seed(9);
        b.Seed(9);
        Assert.That((float[])a.Sample(), Is.EqualTo((float[])b.Sample()));
    }

    [Test]
    public void FlattenOneHotsAndConcatenatesInDictKeyOrder()
    {
        var space = new DictSpace(new Dictionary<string, Space>
        {
            ["z"] = new Discrete(3, start: 1),
            ["a"] = new Box(-1, 2, [2]),
            ["m"] = new MultiDiscrete([2, 3]),
        });
        Assert.That(Environments.Spaces.FlatDim(space), Is.EqualTo(2 + 5 + 3));
        var value = new Dictionary<string, object> { ["z"] = 2, ["a"] = new[] { 0.5f, -1f }, ["m"] = new[] { 1, 2 } };
        float[] flat = Environments.Spaces.Flatten(space, value);
        Assert.That(flat, Is.EqualTo(new[] { 0.5f, -1f, 0, 1, 0, 0, 1, 0, 1, 0 }));
        var back = (Dictionary<string, object>)Environments.Spaces.Unflatten(space, flat);
        Assert.That(back["z"], Is.EqualTo(2));
        Assert.That(back["a"], Is.EqualTo(new[] { 0.5f, -1f }));
        Assert.That(back["m"], Is.EqualTo(new[] { 1, 2 }));
        Box flatSpace = Environments.Spaces.FlattenSpace(space);
        Assert.That(flatSpace.Low, Is.EqualTo(new double[] { -1, -1, 0, 0, 0, 0, 0, 0, 0, 0 }));
        Assert.That(flatSpace.High, Is.EqualTo(new double[] { 2, 2, 1, 1, 1, 1, 1, 1, 1, 1 }));
        Assert.That(flatSpace.Contains(flat), Is.True);
    }

    [Test]
    public void TupleSpaceSamplesContainAndFlatten()
    {
        var t = new TupleSpace([new Discrete(2), new MultiBinary(3)]);
        t.Seed(4);
        object[] x = t.Sample();
        Assert.That(t.Contains(x), Is.True);
        Assert.That(t.Contains([5, new byte[] { 0, 0, 0 }]), Is.False);
        Assert.That(Environments.Spaces.Flatten(t, new object[] { 1, new byte[] { 1, 0, 1 } }), Is.EqualTo(new[] { 0f, 1f, 1f, 0f, 1f }));
    }
}
