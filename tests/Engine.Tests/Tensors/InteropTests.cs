using RlPlat.Engine;
using RlPlat.Engine.Interop;

namespace RlPlat.Engine.Tests.Tensors;

/// <summary>The System.Numerics.Tensors bridge shares memory both ways and keeps strides.</summary>
public class InteropTests
{
    [Test]
    public void ToNumericsTensorSharesTheArray()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var t = Tensor.FromArray(data, 2, 3);
        var n = t.ToNumericsTensor<float>();
        Assert.That(n.Lengths.ToArray(), Is.EqualTo(new nint[] { 2, 3 }));
        Assert.That(n[[1, 2]], Is.EqualTo(6f));
        n[[0, 1]] = 20;
        Assert.That(data[1], Is.EqualTo(20f), "a write through the numerics tensor lands in our array");
        data[3] = 40;
        Assert.That(n[[1, 0]], Is.EqualTo(40f));
    }

    [Test]
    public void StridedViewsKeepTheirLayout()
    {
        var t = Tensor.Arange(12, DType.Float64).Reshape(3, 4);
        var n = t.T.Slice(0, 1, null, 2).ToNumericsTensor<double>(); // rows 1 and 3 of the transpose: columns 1 and 3
        Assert.That(n.Lengths.ToArray(), Is.EqualTo(new nint[] { 2, 3 }));
        Assert.That(n.Strides.ToArray(), Is.EqualTo(new nint[] { 2, 4 }));
        Assert.That(n[[1, 2]], Is.EqualTo(11.0));
        Assert.That(n[[0, 1]], Is.EqualTo(5.0));
        var back = n.ToTensor();
        Assert.That(back.Storage.Data, Is.SameAs(t.Storage.Data), "the round trip views the same array");
        Assert.That(back.ToArray<double>(), Is.EqualTo(new double[] { 1, 5, 9, 3, 7, 11 }));
    }

    [Test]
    public void ToTensorWrapsANumericsTensorWithoutCopying()
    {
        var array = new int[] { 0, 1, 2, 3, 4, 5, 6, 7 };
        var n = System.Numerics.Tensors.Tensor.Create(array, 2, [2, 3], [3, 1]);
        var t = n.ToTensor();
        Assert.That(t.DType, Is.EqualTo(DType.Int32));
        Assert.That(t.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(t.Offset, Is.EqualTo(2));
        Assert.That(t.Storage.Data, Is.SameAs(array));
        Assert.That(t.ToArray<int>(), Is.EqualTo(new[] { 2, 3, 4, 5, 6, 7 }));
        t.AddInPlace(Tensor.FromArray(new[] { 100 }));
        Assert.That(n[[1, 2]], Is.EqualTo(107));
    }

    [Test]
    public void ScalarsAndDtypeMismatch()
    {
        var n = Tensor.Scalar(3, DType.Float64).ToNumericsTensor<double>();
        Assert.That(n.Lengths.ToArray(), Is.EqualTo(new nint[] { 1 }));
        Assert.That(n[[0]], Is.EqualTo(3.0));
        var column = Tensor.Arange(3, DType.Float64).Reshape(3, 1).ToNumericsTensor<double>();
        Assert.That(column[[2, 0]], Is.EqualTo(2.0), "size-1 dims are accepted");
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).ToNumericsTensor<double>());
        Assert.That(ex!.Message, Does.Contain("float32").And.Contain("Double"));
    }
}
