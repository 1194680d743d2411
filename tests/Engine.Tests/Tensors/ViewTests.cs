using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Tensors;

/// <summary>Views share storage and read the right elements; Reshape copies only when strides force it; the zero-copy bridge.</summary>
public class ViewTests
{
    [Test]
    public void ViewsShareStorageAndSeeWrites()
    {
        var x = Tensor.Arange(24).Reshape(2, 3, 4);
        var views = new[]
        {
            x.View(6, 4), x.Reshape(-1), x.Permute(2, 0, 1), x.Transpose(0, 2), x.MT, x.Select(1, 2), x.Narrow(2, 1, 2),
            x.Slice(2, 0, null, 3), x.Unsqueeze(0), x.Unsqueeze(-1).Squeeze(-1), x.Flatten(1), x[1], x.Select(0, 0).Diagonal(),
            x.Select(0, 0).Select(0, 0).Unsqueeze(0).Expand(3, 4), x.Split(1, 0)[1], x.Chunk(2, 2)[0],
        };
        foreach (var v in views) Assert.That(v.SharesStorageWith(x), Is.True);
        x.Set(-5, 1, 2, 3);
        Assert.That(x.Reshape(-1).GetValue(23), Is.EqualTo(-5));
        Assert.That(x.Permute(2, 0, 1).GetValue(3, 1, 2), Is.EqualTo(-5));
        Assert.That(x.Transpose(0, 2).GetValue(3, 2, 1), Is.EqualTo(-5));
        Assert.That(x[1, 2].GetValue(3), Is.EqualTo(-5));
    }

    [Test]
    public void ViewsReadTheRightElements()
    {
        var x = Tensor.Arange(24).Reshape(2, 3, 4);
        Assert.That(x.Permute(2, 0, 1).Shape, Is.EqualTo(new[] { 4, 2, 3 }));
        Assert.That(x.Permute(2, 0, 1).Strides, Is.EqualTo(new[] { 1, 12, 4 }));
        Assert.That(x.Permute(-1, 0, 1).Contiguous().ToArray()[..6], Is.EqualTo(new float[] { 0, 4, 8, 12, 16, 20 }));
        Assert.That(x.Slice(2, 1, null, 2).ToArray(), Is.EqualTo(new float[] { 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23 }));
        Assert.That(x.Slice(1, -2).Shape, Is.EqualTo(new[] { 2, 2, 4 }), "negative start counts from the end");
        Assert.That(x.Slice(1, 5, 9).Shape, Is.EqualTo(new[] { 2, 0, 4 }), "out-of-range bounds clamp like Python");
        Assert.That(x.Narrow(-1, -2, 2).ToArray()[..2], Is.EqualTo(new float[] { 2, 3 }));
        Assert.That(x.Select(-1, -1).ToArray(), Is.EqualTo(new float[] { 3, 7, 11, 15, 19, 23 }));
        Assert.That(x.Unsqueeze(1).Shape, Is.EqualTo(new[] { 2, 1, 3, 4 }));
        Assert.That(x.Unsqueeze(-1).Shape, Is.EqualTo(new[] { 2, 3, 4, 1 }));
        Assert.That(Tensor.Zeros(1, 3, 1).Squeeze().Shape, Is.EqualTo(new[] { 3 }));
        Assert.That(Tensor.Zeros(1, 3, 1).Squeeze(-1).Shape, Is.EqualTo(new[] { 1, 3 }));
        Assert.That(Tensor.Zeros(1, 3, 1).Squeeze(1).Shape, Is.EqualTo(new[] { 1, 3, 1 }), "a dim that is not 1 stays");
        Assert.That(x.Flatten(0, 1).Shape, Is.EqualTo(new[] { 6, 4 }));
        var e = Tensor.FromArray(new float[] { 1, 2, 3 }).Expand(2, -1);
        Assert.That(e.Strides, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(e.ToArray(), Is.EqualTo(new float[] { 1, 2, 3, 1, 2, 3 }));
        Assert.That(Tensor.Zeros(3, 1).BroadcastTo(2, 3, 4).Shape, Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(Tensor.Scalar(7).T.Rank, Is.Zero);
    }

    [Test]
    public void ReshapeCopiesOnlyWhenStridesForceIt()
    {
        var x = Tensor.Arange(12).Reshape(3, 4);
        Assert.That(x.Reshape(2, 6).SharesStorageWith(x), Is.True);
        Assert.That(x.T.Reshape(2, 6).SharesStorageWith(x), Is.False);
        Assert.That(x.T.Reshape(2, 6).ToArray(), Is.EqualTo(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }));
        Assert.That(x.T.Reshape(4, 3, 1).SharesStorageWith(x), Is.True, "adding a size-1 dim keeps a view");
        Assert.That(x.Slice(1, 0, 2).Reshape(3, 2, 1).SharesStorageWith(x), Is.True);
        var ex = Assert.Throws<InvalidOperationException>(() => x.T.View(12));
        Assert.That(ex!.Message, Does.Contain("[4,3]").And.Contain("Reshape"));
        var bad = Assert.Throws<ArgumentException>(() => x.Reshape(5, -1));
        Assert.That(bad!.Message, Does.Contain("[5,-1]").And.Contain("12"));
        Assert.Throws<ArgumentException>(() => x.Reshape(-1, -1));
        Assert.That(Tensor.Zeros(0, 3).Reshape(3, 0, 5).Shape, Is.EqualTo(new[] { 3, 0, 5 }));
    }

    [Test]
    public void ContiguousCloneAndConversions()
    {
        var x = Tensor.Arange(6).Reshape(2, 3);
        Assert.That(ReferenceEquals(x.Contiguous(), x), Is.True);
        var c = x.T.Contiguous();
        Assert.That(c.IsContiguous, Is.True);
        Assert.That(c.SharesStorageWith(x), Is.False);
        Assert.That(x.Clone().SharesStorageWith(x), Is.False);
        Assert.That(ReferenceEquals(x.To(DType.Float32), x), Is.True);
        var f = Tensor.FromArray(new[] { -1.7, 0.2, 2.9, 300 });
        Assert.That(f.To(DType.Int32).ToArray<int>(), Is.EqualTo(new[] { -1, 0, 2, 300 }), "truncation toward zero");
        Assert.That(f.Long().ToArray<long>(), Is.EqualTo(new long[] { -1, 0, 2, 300 }));
        Assert.That(f.Bool().ToArray<bool>(), Is.EqualTo(new[] { true, true, true, true }));
        Assert.That(Tensor.FromArray(new[] { 0.0, double.NaN }).Bool().ToArray<bool>(), Is.EqualTo(new[] { false, true }));
        Assert.That(Tensor.FromArray(new[] { true, false }).Float().ToArray(), Is.EqualTo(new float[] { 1, 0 }));
        Assert.That(Tensor.FromArray(new[] { 1, 2 }).Double().DType, Is.EqualTo(DType.Float64));
        Assert.That(Tensor.FromArray(new[] { 300 }).To(DType.UInt8).ToArray<byte>(), Is.EqualTo(new byte[] { 44 }), "uint8 wraps");
        Assert.That(x.T.To(DType.Int64).ToArray<long>(), Is.EqualTo(new long[] { 0, 3, 1, 4, 2, 5 }));
    }

    [Test]
    public void ViewErrorsNameTheOffendingValues()
    {
        var x = Tensor.Zeros(2, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => x.Permute(0, 0))!.Message, Does.Contain("repeated"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Permute(0))!.Message, Does.Contain("rank 2"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Select(1, 3))!.Message, Does.Contain("index 3").And.Contain("size 3"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Narrow(1, 2, 2))!.Message, Does.Contain("start 2").And.Contain("length 2"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Expand(4, 3))!.Message, Does.Contain("[2,3]").And.Contain("[4,3]"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Transpose(0, 2))!.Message, Does.Contain("dim 2"));
        Assert.Throws<ArgumentException>(() => x.Slice(0, 0, 1, 0));
        Assert.Throws<ArgumentException>(() => x.Unsqueeze(4));
        Assert.Throws<InvalidOperationException>(() => _ = Tensor.Zeros(2, 2, 2).T);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(-1));
    }

    [Test]
    public void FromArrayWrapsAndAsSpanExposesWithoutCopying()
    {
        var data = new double[] { 1, 2, 3, 4, 5, 6 };
        var t = Tensor.FromArray(data, 3, 2);
        Assert.That(t.Storage.Data, Is.SameAs(data));
        data[5] = 60;
        Assert.That(t.GetValue(2, 1), Is.EqualTo(60));
        t.AsSpan<double>()[0] = -1;
        Assert.That(data[0], Is.EqualTo(-1));
        t.AsMemory<double>().Span[1] = -2;
        Assert.That(data[1], Is.EqualTo(-2));
        var row = t[1];
        Assert.That(row.AsSpan<double>().ToArray(), Is.EqualTo(new double[] { 3, 4 }), "a contiguous view spans its own elements");
        var copy = t.ToArray<double>();
        copy[0] = 100;
        Assert.That(data[0], Is.EqualTo(-1), "ToArray copies");
        var offsetView = Tensor.FromArray<double>(data, offset: 2, 2, 2);
        Assert.That(offsetView.ToArray<double>(), Is.EqualTo(new double[] { 3, 4, 5, 60 }));
        Assert.That(Assert.Throws<InvalidOperationException>(() => t.T.AsSpan<double>())!.Message, Does.Contain("not contiguous"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => t.AsSpan<float>())!.Message, Does.Contain("float64"));
        Assert.Throws<ArgumentException>(() => Tensor.FromArray(data, 4, 2));
        Assert.Throws<ArgumentException>(() => Tensor.FromArray(data, 5, 2));
        Assert.That(Tensor.FromArray(new byte[] { 1, 2 }).DType, Is.EqualTo(DType.UInt8));
    }

    [Test]
    public void CreationFunctions()
    {
        Assert.That(Tensor.Arange(1, 2, 0.25).ToArray(), Is.EqualTo(new float[] { 1, 1.25f, 1.5f, 1.75f }));
        Assert.That(Tensor.Arange(5, 0, -2, DType.Int64).ToArray<long>(), Is.EqualTo(new long[] { 5, 3, 1 }));
        Assert.That(Tensor.Arange(0).Numel, Is.Zero);
        Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 1, 0));
        Expect_(Tensor.Linspace(0, 1, 5, DType.Float64), [0, 0.25, 0.5, 0.75, 1]);
        Expect_(Tensor.Logspace(0, 2, 3, dtype: DType.Float64), [1, 10, 100]);
        Assert.That(Tensor.Eye(2, 3).ToArray(), Is.EqualTo(new float[] { 1, 0, 0, 0, 1, 0 }));
        Assert.That(Tensor.Full([2], 7, DType.Int32).ToArray<int>(), Is.EqualTo(new[] { 7, 7 }));
        Assert.That(Tensor.Ones(DType.Bool, 2).ToArray<bool>(), Is.EqualTo(new[] { true, true }));
        Assert.That(Tensor.ZerosLike(Tensor.Ones(DType.Int64, 2, 2)).DType, Is.EqualTo(DType.Int64));
        Assert.That(Tensor.FullLike(Tensor.Ones(3), 2.5).ToArray(), Is.All.EqualTo(2.5f));
        Assert.That(Tensor.Scalar(4.5, DType.Float64).Item(), Is.EqualTo(4.5));
        Assert.That(Tensor.From(new double[,] { { 1, 2 }, { 3, 4 } }).Shape, Is.EqualTo(new[] { 2, 2 }));

        static void Expect_(Tensor t, double[] e) => Assert.That(t.ToArray<double>(), Is.EqualTo(e).Within(1e-12));
    }

    [Test]
    public void ToStringPrintsLikePyTorchAndElidesLargeTensors()
    {
        Assert.That(Tensor.Arange(6, DType.Int64).Reshape(2, 3).ToString(), Is.EqualTo("tensor([[0, 1, 2],\n        [3, 4, 5]], shape=[2,3], dtype=int64)"));
        Assert.That(Tensor.FromArray(new[] { true, false }, 1, 2).ToString(), Is.EqualTo("tensor([[ True, False]], shape=[1,2], dtype=bool)"));
        Assert.That(Tensor.FromArray(new float[] { 1e-5f, 1, 100 }).ToString(), Is.EqualTo("tensor([1.0000e-05, 1.0000e+00, 1.0000e+02], shape=[3], dtype=float32)"));
        var big = Tensor.Arange(2000).Reshape(2, 1000).ToString();
        Assert.That(big, Does.Contain("...").And.Contain("shape=[2,1000]"));
        Assert.That(big.Length, Is.LessThan(300), big);
        Assert.That(Tensor.Zeros(0, 2).ToString(), Is.EqualTo("tensor([], shape=[0,2], dtype=float32)"));
        Assert.That(Tensor.Scalar(2.5).ToString(), Is.EqualTo("tensor(2.5000, shape=[], dtype=float32)"));
        Assert.That(Tensor.Ones(2).RequiresGrad_().Mul(2).ToString(), Does.EndWith("grad_fn=Mul)"));
    }
}
