using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Tensors;

public class CoreTests
{
    [Test]
    public void FromArrayWrapsWithoutCopying()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var t = Tensor.FromArray(data, 2, 3);
        data[4] = 50;
        Assert.That(t.GetValue(1, 1), Is.EqualTo(50));
        t.AsSpan()[0] = -1;
        Assert.That(data[0], Is.EqualTo(-1));
    }

    [Test]
    public void BroadcastAddMatchesNumpy()
    {
        var a = Tensor.Arange(6).Reshape(2, 3);
        var b = Tensor.FromArray(new float[] { 10, 20 }, 2, 1);
        var c = a + b;
        Assert.That(c.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(c.ToArray(), Is.EqualTo(new float[] { 10, 11, 12, 23, 24, 25 }));
    }

    [Test]
    public void BinaryOpOnTransposedViewReadsStrides()
    {
        var a = Tensor.Arange(6).Reshape(2, 3);
        var t = a.T;
        Assert.That(t.IsContiguous, Is.False);
        Assert.That(t.SharesStorageWith(a), Is.True);
        Assert.That((t * 2).ToArray(), Is.EqualTo(new float[] { 0, 6, 2, 8, 4, 10 }));
    }

    [Test]
    public void ShapesThatDoNotBroadcastNameBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Add(Tensor.Zeros(4)));
        Assert.That(ex!.Message, Does.Contain("[2,3]").And.Contain("[4]"));
    }

    [Test]
    public void SumOverDimsWithKeepDim()
    {
        var a = Tensor.Arange(24).Reshape(2, 3, 4);
        Assert.That(a.Sum([0, 2]).ToArray(), Is.EqualTo(new float[] { 60, 92, 124 }));
        Assert.That(a.Sum([1], keepDim: true).Shape, Is.EqualTo(new[] { 2, 1, 4 }));
        Assert.That(a.Sum(0).ToArray()[0], Is.EqualTo(12f));
        Assert.That(a.Sum().Item<float>(), Is.EqualTo(276f));
    }

    [Test]
    public void MatMulSmall()
    {
        var a = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } });
        var b = Tensor.From(new float[,] { { 5, 6 }, { 7, 8 } });
        Assert.That(a.MatMul(b).ToArray(), Is.EqualTo(new float[] { 19, 22, 43, 50 }));
        Assert.That(a.MatMul(b.T).ToArray(), Is.EqualTo(new float[] { 17, 23, 39, 53 }));
    }

    [Test]
    public void ToStringLooksLikePyTorch()
    {
        var t = Tensor.From(new float[,] { { 1, 2.5f }, { 3, 4 } });
        Assert.That(t.ToString(), Is.EqualTo("tensor([[1.0000, 2.5000],\n        [3.0000, 4.0000]], shape=[2,2], dtype=float32)"));
    }
}
