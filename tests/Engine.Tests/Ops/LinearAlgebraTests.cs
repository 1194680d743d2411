using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Ops;

/// <summary>MatMul with NumPy's rank and batch rules, Mm/Bmm/Dot/Outer/Addmm and the products built on them, against PyTorch.</summary>
public class LinearAlgebraTests
{
    private static Tensor A() => Tensor.Arange(24, DType.Float64).Reshape(2, 3, 4).Mul(0.5).Sub(3);
    private static Tensor B() => Tensor.Arange(8, DType.Float64).Reshape(4, 2).Sub(2);

    [Test]
    public void BatchedTimesMatrixMatchesTorch()
    {
        Expect.Close(A().MatMul(B()), [-4.0, -13.0, 4.0, 3.0, 12.0, 19.0, 20.0, 35.0, 28.0, 51.0, 36.0, 67.0], 1e-12, [2, 3, 2]);
        Expect.Close(A().Float().MatMul(B().Float()), [-4.0, -13.0, 4.0, 3.0, 12.0, 19.0, 20.0, 35.0, 28.0, 51.0, 36.0, 67.0], 1e-6);
    }

    [Test]
    public void BatchDimsBroadcast()
    {
        var c = Tensor.Arange(6, DType.Float64).Reshape(1, 2, 3);
        var d = Tensor.Arange(36, DType.Float64).Reshape(3, 1, 3, 4).Sub(5);
        var y = c.MatMul(d);
        Assert.That(y.Shape, Is.EqualTo(new[] { 3, 1, 2, 4 }));
        Expect.Close(y.Select(0, 2), [77.0, 80.0, 83.0, 86.0, 284.0, 296.0, 308.0, 320.0], 1e-12);
        Assert.That(y.Sum().Item(), Is.EqualTo(2442.0));
    }

    [Test]
    public void OneDimensionalOperands()
    {
        var d = Tensor.Arange(36, DType.Float64).Reshape(3, 1, 3, 4).Sub(5);
        var v = Tensor.FromArray(new[] { 1.0, -2, 3 });
        Expect.Close(v.MatMul(d[0, 0]), [6, 8, 10, 12], 1e-12, [4]);
        Expect.Close(d[1, 0].T.MatMul(v), [30, 32, 34, 36], 1e-12, [4]);
        Expect.Close(d[1, 0].T.Mv(v), [30, 32, 34, 36], 1e-12, [4]);
        Assert.That(v.MatMul(v).Rank, Is.Zero);
        Assert.That(v.Dot(v).Item(), Is.EqualTo(14.0));
        Expect.Close(v.Outer(Tensor.FromArray(new[] { 1.0, 10 })), [1, 10, -2, -20, 3, 30], 0, [3, 2]);
    }

    [Test]
    public void NonContiguousOperandsAndIntegerInputs()
    {
        var m = Tensor.Arange(6).Reshape(2, 3);
        Assert.That(m.T.MatMul(m).ToArray(), Is.EqualTo(new float[] { 9, 12, 15, 12, 17, 22, 15, 22, 29 }));
        Assert.That(m.MatMul(m.T).ToArray(), Is.EqualTo(new float[] { 5, 14, 14, 50 }));
        var stepped = Tensor.Arange(12).Reshape(3, 4).Slice(1, 0, null, 2); // [[0,2],[4,6],[8,10]]
        Assert.That(stepped.T.MatMul(stepped).ToArray(), Is.EqualTo(new float[] { 80, 104, 104, 140 }));
        var ints = Tensor.FromArray(new[] { 1, 2, 3, 4 }, 2, 2);
        Assert.That(ints.MatMul(ints).DType, Is.EqualTo(DType.Float32));
        Assert.That(ints.MatMul(ints).ToArray(), Is.EqualTo(new float[] { 7, 10, 15, 22 }));
        Assert.That(Tensor.Zeros(2, 0).MatMul(Tensor.Zeros(0, 3)).ToArray(), Is.All.Zero, "an empty inner dim gives zeros");
        Assert.That(Tensor.Zeros(0, 4).MatMul(Tensor.Zeros(4, 3)).Shape, Is.EqualTo(new[] { 0, 3 }));
    }

    [Test]
    public void BmmAddmmBaddbmm()
    {
        var m = Tensor.Arange(4, DType.Float64).Reshape(1, 2, 2);
        Expect.Close(m.Bmm(m), [2, 3, 6, 11], 0, [1, 2, 2]);
        Expect.Close(Tensor.Ones(DType.Float64, 1, 2, 2).Baddbmm(m, m, beta: 0.5, alpha: 2), [4.5, 6.5, 12.5, 22.5], 1e-15, [1, 2, 2]);
        Expect.Close(Tensor.Full([1, 2, 2], double.NaN, DType.Float64).Baddbmm(m, m, beta: 0), [2, 3, 6, 11], 0);
        Expect.Close(Tensor.Ones(DType.Float64, 2, 2).Addmm(m[0], m[0], beta: 2, alpha: 3), [8, 11, 20, 35], 1e-15);
    }

    [Test]
    public void ShapeErrorsNameBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)));
        Assert.That(ex!.Message, Does.Contain("[2,3]").And.Contain("[4,5]").And.Contain("3 != 4"));
        ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 2, 3).MatMul(Tensor.Zeros(3, 3, 2)));
        Assert.That(ex!.Message, Does.Contain("do not broadcast"));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Mm(Tensor.Zeros(3)));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 2, 3).Bmm(Tensor.Zeros(3, 3, 2)));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).Dot(Tensor.Zeros(4)));
        Assert.Throws<ArgumentException>(() => Tensor.Scalar(1).MatMul(Tensor.Zeros(1)));
    }

    [Test]
    public void CrossKronTensordotMatchTorch()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, -1, 0, 2 }, 2, 3);
        Expect.Close(a.Cross(Tensor.FromArray(new float[] { 4, 5, 6 })), [-3, 6, -3, -10, 14, -5], 1e-6, [2, 3]);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 4).Cross(Tensor.Zeros(2, 4)));
        var k = Tensor.FromArray(new[] { 1, 2, 3, 4 }, 2, 2).Kron(Tensor.FromArray(new[] { 0, 1, 1, 0 }, 2, 2));
        Assert.That(k.ToArray<int>(), Is.EqualTo(new[] { 0, 1, 0, 2, 1, 0, 2, 0, 0, 3, 0, 4, 3, 0, 4, 0 }));
        Assert.That(Tensor.Ones(2, 3).Kron(Tensor.Ones(4)).Shape, Is.EqualTo(new[] { 2, 12 }));
        Expect.Close(A().Tensordot(Tensor.Arange(12, DType.Float64).Reshape(3, 4)), [55, 451], 1e-12, [2]);
        Expect.Close(A().Tensordot(B().T.Reshape(2, 4), [2], [1]), [-4.0, -13.0, 4.0, 3.0, 12.0, 19.0, 20.0, 35.0, 28.0, 51.0, 36.0, 67.0], 1e-12, [2, 3, 2]);
        var ex = Assert.Throws<ArgumentException>(() => A().Tensordot(B(), [1], [0]));
        Assert.That(ex!.Message, Does.Contain("(3)").And.Contain("(4)"));
    }

    [Test]
    public void CdistCosineSimilarityNormalizeMatchTorch()
    {
        var x1 = Tensor.FromArray(new[] { 0.0, 0, 1, 1, 3, -1 }, 3, 2);
        var x2 = Tensor.FromArray(new[] { 1.0, 0, 2, 2 }, 2, 2);
        Expect.Close(x1.Cdist(x2), [1.0, 2.8284271247461903, 1.0, 1.4142135623730951, 2.23606797749979, 3.1622776601683795], 1e-14, [3, 2]);
        Expect.Close(x1.Cdist(x2, 1), [1, 4, 1, 2, 3, 4], 1e-14);
        Expect.Close(x1.Cdist(x2, 3), [1.0, 2.5198420997897464, 1.0, 1.2599210498948732, 2.080083823051904, 3.0365889718756622], 1e-12);
        Expect.Close(x1.CosineSimilarity(Tensor.FromArray(new[] { 1.0, 1 }, 1, 2)), [0.0, 0.9999999999999998, 0.44721359549995787], 1e-14, [3]);
        Expect.Close(x1.Normalize(), [0.0, 0.0, 0.7071067811865475, 0.7071067811865475, 0.9486832980505138, -0.31622776601683794], 1e-14);
        Expect.Close(x1.Normalize(1, 0), [0.0, 0.0, 0.25, 0.5, 0.75, -0.5], 1e-14);
    }

    [Test]
    public void GradientsOfProductsMatchFiniteDifferences()
    {
        var g = new Generator(7);
        var w = Tensor.Randn([3, 2], g, DType.Float64);
        Expect.GradientMatchesFiniteDifferences(x => x.MatMul(w), Tensor.Randn([2, 4, 3], g, DType.Float64));
        var other = Tensor.Randn([2, 3], g, DType.Float64);
        Expect.GradientMatchesFiniteDifferences(x => x.Cross(other), Tensor.Randn([2, 3], g, DType.Float64));
        Expect.GradientMatchesFiniteDifferences(x => x.Kron(other), Tensor.Randn([2, 2], g, DType.Float64));
        Expect.GradientMatchesFiniteDifferences(x => x.Tensordot(other, [0], [0]), Tensor.Randn([2, 2], g, DType.Float64));
        Expect.GradientMatchesFiniteDifferences(x => x.Cdist(other), Tensor.Randn([4, 3], g, DType.Float64));
        Expect.GradientMatchesFiniteDifferences(x => x.CosineSimilarity(other, 1), Tensor.Randn([2, 3], g, DType.Float64));
        Expect.GradientMatchesFiniteDifferences(x => x.Normalize(), Tensor.Randn([2, 3], g, DType.Float64));
        // A zero distance has a zero (not NaN) gradient.
        var p = Tensor.FromArray(new[] { 1.0, 2 }, 1, 2).RequiresGrad_();
        p.Cdist(Tensor.FromArray(new[] { 1.0, 2 }, 1, 2)).Sum().Backward();
        Assert.That(p.Grad!.ToArray<double>(), Is.EqualTo(new[] { 0.0, 0 }));
    }
}
