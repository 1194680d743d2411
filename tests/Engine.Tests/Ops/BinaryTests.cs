using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Ops;

/// <summary>Binary ops: NumPy broadcasting, dtype promotion, scalar operands, remainders, comparisons, Where, in-place forms.</summary>
public class BinaryTests
{
    private static readonly Tensor A = Tensor.FromArray(new[] { -7.0, -2.5, 3, 4, 5.5, -6 }, 2, 3);
    private static readonly Tensor B = Tensor.FromArray(new[] { 2.0, -3, 4 });

    [Test]
    public void ArithmeticBroadcastsRowsAndColumns()
    {
        var col = Tensor.FromArray(new[] { 10.0, 20 }, 2, 1);
        var row = Tensor.FromArray(new[] { 1.0, 2, 3 }, 1, 3);
        Expect.Close(col + row, [11, 12, 13, 21, 22, 23], 0, [2, 3]);
        Expect.Close(col - row, [9, 8, 7, 19, 18, 17], 0, [2, 3]);
        Expect.Close(col * row, [10, 20, 30, 20, 40, 60], 0, [2, 3]);
        Expect.Close(col / row, [10, 5, 10.0 / 3, 20, 10, 20.0 / 3], 1e-15, [2, 3]);
        Expect.Close(A + B, [-5, -5.5, 7, 6, 2.5, -2], 0, [2, 3]);
        Expect.Close(Tensor.Scalar(2, DType.Float64) * A, [-14, -5, 6, 8, 11, -12], 0, [2, 3]);
    }

    [Test]
    public void BroadcastOfHigherRankAndSizeOneDims()
    {
        var a = Tensor.Arange(6, DType.Float64).Reshape(2, 1, 3);
        var b = Tensor.Arange(4, DType.Float64).Reshape(4, 1);
        var c = a + b;
        Assert.That(c.Shape, Is.EqualTo(new[] { 2, 4, 3 }));
        Assert.That(c.GetValue(1, 2, 0), Is.EqualTo(5.0));
        Assert.That(c.Sum().Item(), Is.EqualTo(96.0)); // 4·Σa + 6·Σb = 4·15 + 6·6
    }

    [Test]
    public void EmptyOperandsBroadcastToEmpty()
    {
        var c = Tensor.Zeros(0, 3) + Tensor.Ones(1, 3);
        Assert.That(c.Shape, Is.EqualTo(new[] { 0, 3 }));
        Assert.That((Tensor.Zeros(0) * 2).Shape, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void MismatchedShapesNameBothShapesAndTheDim()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = Tensor.Zeros(2, 3) * Tensor.Zeros(2, 4));
        Assert.That(ex!.Message, Does.Contain("[2,3]").And.Contain("[2,4]").And.Contain("dim 1"));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).Maximum(Tensor.Zeros(2)));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).Eq(Tensor.Zeros(2)));
        Assert.Throws<ArgumentException>(() => Tensor.Where(Tensor.Zeros(DType.Bool, 3), Tensor.Zeros(2), Tensor.Zeros(3)));
    }

    [Test]
    public void DtypePromotionFollowsTorch()
    {
        var i32 = Tensor.FromArray(new[] { 1, 2 });
        var i64 = Tensor.FromArray(new long[] { 3, 4 });
        var f32 = Tensor.FromArray(new float[] { 0.5f, 0.25f });
        var f64 = Tensor.FromArray(new[] { 0.5, 0.25 });
        var u8 = Tensor.FromArray(new byte[] { 1, 2 });
        var b = Tensor.FromArray(new[] { true, false });
        Assert.That((i32 + i64).DType, Is.EqualTo(DType.Int64));
        Assert.That((i64 + f32).DType, Is.EqualTo(DType.Float32));
        Assert.That((f32 + f64).DType, Is.EqualTo(DType.Float64));
        Assert.That((u8 + i32).DType, Is.EqualTo(DType.Int32));
        Assert.That((b + u8).DType, Is.EqualTo(DType.UInt8));
        Assert.That((i32 + i64).ToArray<long>(), Is.EqualTo(new long[] { 4, 6 }));
        Assert.That((i32 / i32).DType, Is.EqualTo(DType.Float32), "true division of integers gives float");
        Assert.That((i32 + 2).DType, Is.EqualTo(DType.Int32), "an integral scalar keeps the integer dtype");
        Assert.That((i32 + 2).ToArray<int>(), Is.EqualTo(new[] { 3, 4 }));
        Assert.That((i32 * 2.5).DType, Is.EqualTo(DType.Float32), "a fractional scalar makes it float");
        Assert.That((i32 * 2.5).ToArray(), Is.EqualTo(new float[] { 2.5f, 5 }));
        Assert.That((i64 / 2).ToArray(), Is.EqualTo(new float[] { 1.5f, 2 }));
        Assert.That((f64 * 3).DType, Is.EqualTo(DType.Float64));
        Assert.That((u8 * 200).ToArray<byte>(), Is.EqualTo(new byte[] { 200, 144 }), "uint8 wraps modulo 256 like NumPy");
    }

    [Test]
    public void ScalarOnTheLeft()
    {
        var x = Tensor.FromArray(new float[] { 1, 2, 4 });
        Assert.That((10 - x).ToArray(), Is.EqualTo(new float[] { 9, 8, 6 }));
        Assert.That((8 / x).ToArray(), Is.EqualTo(new float[] { 8, 4, 2 }));
        Assert.That((3 + x).ToArray(), Is.EqualTo(new float[] { 4, 5, 7 }));
        Assert.That((2 * x).ToArray(), Is.EqualTo(new float[] { 2, 4, 8 }));
        Assert.That((-x).ToArray(), Is.EqualTo(new float[] { -1, -2, -4 }));
        Assert.That((10 - Tensor.FromArray(new[] { 1, 2 })).ToArray<int>(), Is.EqualTo(new[] { 9, 8 }));
    }

    [Test]
    public void ScalarOpsOnStridedAndExpandedViews()
    {
        var x = Tensor.Arange(12).Reshape(3, 4).T.Slice(0, 0, null, 2); // shape [2,3], strides [2,4]
        Assert.That((x * 2).ToArray(), Is.EqualTo(new float[] { 0, 8, 16, 4, 12, 20 }));
        Assert.That((x - 1).ToArray(), Is.EqualTo(new float[] { -1, 3, 7, 1, 5, 9 }));
        var e = Tensor.FromArray(new float[] { 1, 2 }, 2, 1).Expand(2, 3);
        Assert.That((e + 1).ToArray(), Is.EqualTo(new float[] { 2, 2, 2, 3, 3, 3 }));
        Assert.That((e + x).ToArray(), Is.EqualTo(new float[] { 1, 5, 9, 4, 8, 12 }));
    }

    [Test]
    public void RemaindersAndFloorDivisionMatchTorchSigns()
    {
        // torch.fmod / torch.remainder / torch.floor_divide of A and B (float64).
        Expect.Close(A.Fmod(B), [-1.0, -2.5, 3.0, 0.0, 2.5, -2.0], 1e-15);
        Expect.Close(A.Remainder(B), [1.0, -2.5, 3.0, 0.0, -0.5, 2.0], 1e-15);
        Expect.Close(A.FloorDivide(B), [-4.0, 0.0, 0.0, 2.0, -2.0, -2.0], 1e-15);
        var ai = Tensor.FromArray(new long[] { -7, -2, 3, 7 });
        var bi = Tensor.FromArray(new long[] { 2, -3, 4, -2 });
        Assert.That(ai.Fmod(bi).ToArray<long>(), Is.EqualTo(new long[] { -1, -2, 3, 1 }));
        Assert.That(ai.Remainder(bi).ToArray<long>(), Is.EqualTo(new long[] { 1, -2, 3, -1 }));
        Assert.That(ai.FloorDivide(bi).ToArray<long>(), Is.EqualTo(new long[] { -4, 0, 0, -4 }));
        Assert.That(ai.Remainder(3).ToArray<long>(), Is.EqualTo(new long[] { 2, 1, 0, 1 }));
        Expect.Close(ai / bi, [-3.5, 0.6666666865348816, 0.75, -3.5], 1e-7);
    }

    [Test]
    public void PowAtan2MaximumMinimumMatchTorch()
    {
        var bases = Tensor.FromArray(new[] { 1.5, 2.0 }, 2, 1);
        var exps = Tensor.FromArray(new[] { 2.0, -1, 0.5 });
        Expect.Close(bases.Pow(exps), [2.25, 0.6666666666666666, 1.224744871391589, 4.0, 0.5, 1.4142135623730951], 1e-14, [2, 3]);
        Expect.Close(Tensor.FromArray(new[] { 1.0, -1, 0, -2 }).Atan2(Tensor.FromArray(new[] { -1.0, -1, -1, 0 })),
            [2.356194490192345, -2.356194490192345, 3.141592653589793, -1.5707963267948966], 1e-15);
        var x = Tensor.FromArray(new[] { 1.0, double.NaN, 3 });
        var y = Tensor.FromArray(new[] { 2.0, 0, double.NaN });
        Expect.Close(x.Maximum(y), [2, double.NaN, double.NaN]);
        Expect.Close(x.Minimum(y), [1, double.NaN, double.NaN]);
        Assert.That(Tensor.FromArray(new[] { 1, 7 }).Maximum(Tensor.FromArray(new[] { 4, 2 })).ToArray<int>(), Is.EqualTo(new[] { 4, 7 }));
        Expect.Close(Tensor.FromArray(new[] { -1.0, 2 }).Maximum(0), [0, 2]);
    }

    [Test]
    public void LogaddexpHypotXlogyMatchTorch()
    {
        var x = Tensor.FromArray(new[] { -1.0, 0.5, 3 });
        var y = Tensor.FromArray(new[] { 2.0, -4 }, 2, 1);
        Expect.Close(x.Logaddexp(y), [2.048587351573742, 2.2014132779827524, 3.313261687518223, -0.9514126484262581, 0.5110477448485937, 3.000911466453774], 1e-14, [2, 3]);
        Expect.Close(x.Hypot(y), [2.23606797749979, 2.0615528128088303, 3.605551275463989, 4.123105625617661, 4.031128874149275, 5.0], 1e-14);
        var inf = Tensor.FromArray(new[] { double.NegativeInfinity, 1.0, 1000 });
        Expect.Close(inf.Logaddexp(Tensor.FromArray(new[] { double.NegativeInfinity, 2.0, 1000 })), [double.NegativeInfinity, 2.313261687518223, 1000.6931471805599], 1e-14);
        Expect.Close(Tensor.FromArray(new float[] { 0, 2, -1, 0 }).Xlogy(Tensor.FromArray(new float[] { 0, 3, 0.5f, 5 })), [0.0, 2.1972246170043945, 0.6931471824645996, 0.0], 1e-7);
        Expect.Close(Tensor.FromArray(new[] { 0.0 }).Xlogy(Tensor.FromArray(new[] { double.NaN })), [double.NaN]);
    }

    [Test]
    public void LerpAddcmulAddcdiv()
    {
        var x = Tensor.FromArray(new[] { -1.0, 0.5, 3 });
        Expect.Close(x.Lerp(Tensor.Ones(DType.Float64, 3), 0.25), [-0.5, 0.625, 2.5], 1e-15);
        Expect.Close(x.Addcdiv(Tensor.FromArray(new[] { 1.0, 2, 3 }), Tensor.FromArray(new[] { 4.0, 5, 6 }), 0.5), [-0.875, 0.7, 3.25], 1e-15);
        Expect.Close(x.Addcmul(Tensor.FromArray(new[] { 1.0, 2, 3 }), Tensor.FromArray(new[] { 4.0, 5, 6 }), 2), [7, 20.5, 39], 1e-15);
        Expect.Close(x.Add(Tensor.FromArray(new[] { 1.0, 1, 1 }), alpha: 3), [2, 3.5, 6]);
    }

    [Test]
    public void ComparisonsAndLogic()
    {
        var a = Tensor.FromArray(new[] { 1.0, 2, double.NaN, 4 });
        var b = Tensor.FromArray(new[] { 1.0, 3, double.NaN, 0 });
        Assert.That(a.Eq(b).ToArray<bool>(), Is.EqualTo(new[] { true, false, false, false }));
        Assert.That(a.Ne(b).ToArray<bool>(), Is.EqualTo(new[] { false, true, true, true }));
        Assert.That(a.Lt(b).ToArray<bool>(), Is.EqualTo(new[] { false, true, false, false }));
        Assert.That(a.Le(b).ToArray<bool>(), Is.EqualTo(new[] { true, true, false, false }));
        Assert.That(a.Gt(b).ToArray<bool>(), Is.EqualTo(new[] { false, false, false, true }));
        Assert.That(a.Ge(2).ToArray<bool>(), Is.EqualTo(new[] { false, true, false, true }));
        Assert.That(Tensor.FromArray(new[] { 1, 5 }).Gt(Tensor.FromArray(new[] { 2.5f, 2.5f })).ToArray<bool>(), Is.EqualTo(new[] { false, true }), "int vs float compares in float");
        var p = Tensor.FromArray(new[] { true, true, false, false });
        var q = Tensor.FromArray(new[] { true, false, true, false });
        Assert.That(p.LogicalAnd(q).ToArray<bool>(), Is.EqualTo(new[] { true, false, false, false }));
        Assert.That(p.LogicalOr(q).ToArray<bool>(), Is.EqualTo(new[] { true, true, true, false }));
        Assert.That(p.LogicalXor(q).ToArray<bool>(), Is.EqualTo(new[] { false, true, true, false }));
        Assert.That(p.LogicalNot().ToArray<bool>(), Is.EqualTo(new[] { false, false, true, true }));
        Assert.That(Tensor.FromArray(new[] { 0.0, -2 }).LogicalNot().ToArray<bool>(), Is.EqualTo(new[] { true, false }));
        Assert.That(p.Eq(q).ToArray<bool>(), Is.EqualTo(new[] { true, false, false, true }), "bools compare as 0/1");
        Assert.That(Tensor.FromArray(new[] { 1.0, 2 }).IsClose(Tensor.FromArray(new[] { 1.0 + 1e-9, 2.1 })).ToArray<bool>(), Is.EqualTo(new[] { true, false }));
        Assert.That(Tensor.FromArray(new[] { 1.0, 2 }).AllClose(Tensor.FromArray(new[] { 1.0, 2.0000001 })), Is.True);
        Assert.That(Tensor.FromArray(new[] { 1.0, 2 }).Equal(Tensor.FromArray(new[] { 1.0, 2 }, 1, 2)), Is.False, "Equal needs equal shapes");
    }

    [Test]
    public void WhereBroadcastsAndPromotes()
    {
        var cond = Tensor.FromArray(new[] { true, false, true }, 1, 3);
        var a = Tensor.FromArray(new[] { 1, 2 }, 2, 1);
        var b = Tensor.FromArray(new[] { 0.5, 0.25, 0.125 });
        var w = Tensor.Where(cond, a, b);
        Assert.That(w.DType, Is.EqualTo(DType.Float64));
        Expect.Close(w, [1, 0.25, 1, 2, 0.25, 2], 0, [2, 3]);
        Expect.Close(Tensor.Where(cond, b, double.PositiveInfinity), [0.5, double.PositiveInfinity, 0.125], 0, [1, 3]);
        var m = Tensor.Arange(6).Reshape(2, 3);
        Assert.That(m.MaskedFill(m.Gt(2), -1).ToArray(), Is.EqualTo(new float[] { 0, 1, 2, -1, -1, -1 }));
    }

    [Test]
    public void InPlaceOpsWriteThroughViewsAndBumpTheVersion()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var t = Tensor.FromArray(data, 2, 3);
        int v0 = t.Storage.Version;
        var col = t.Select(1, 1); // a strided view: elements 2 and 5
        col.MulInPlace(10);
        Assert.That(data, Is.EqualTo(new float[] { 1, 20, 3, 4, 50, 6 }));
        Assert.That(t.Storage.Version, Is.GreaterThan(v0));
        t.AddInPlace(Tensor.FromArray(new float[] { 1, 1, 1 }));
        t.SubInPlace(1);
        t.DivInPlace(Tensor.FromArray(new float[] { 1, 2, 1 }));
        Assert.That(data, Is.EqualTo(new float[] { 1, 10, 3, 4, 25, 6 }));
        t.ClampInPlace(2, 9);
        Assert.That(data, Is.EqualTo(new float[] { 2, 9, 3, 4, 9, 6 }));
        t.Slice(1, 0, 2).FillInPlace(-1);
        Assert.That(data, Is.EqualTo(new float[] { -1, -1, 3, -1, -1, 6 }));
        t.CopyInPlace(Tensor.FromArray(new[] { 7, 8, 9 }));
        Assert.That(data, Is.EqualTo(new float[] { 7, 8, 9, 7, 8, 9 }), "int source converted and broadcast");
        t.ZeroInPlace();
        Assert.That(data, Is.All.Zero);
        t.FillInPlace(4).SqrtInPlace();
        Assert.That(data, Is.All.EqualTo(2f));
        t.AddcmulInPlace(t, t, 0.5).LerpInPlace(Tensor.Zeros(2, 3), 0.5).MaximumInPlace(Tensor.Full([3], 2.5));
        Assert.That(data, Is.All.EqualTo(2.5f));
    }

    [Test]
    public void InPlaceOpsRejectShapeChangesAndLeavesThatRequireGrad()
    {
        var t = Tensor.Zeros(3);
        var ex = Assert.Throws<ArgumentException>(() => t.AddInPlace(Tensor.Zeros(2, 3)));
        Assert.That(ex!.Message, Does.Contain("[2,3]").And.Contain("[3]"));
        var leaf = Tensor.Zeros(3).RequiresGrad_();
        Assert.Throws<InvalidOperationException>(() => leaf.MulInPlace(2));
        using (Autograd.NoGrad()) leaf.AddInPlace(1);
        Assert.That(leaf.ToArray(), Is.All.EqualTo(1f));
    }
}
