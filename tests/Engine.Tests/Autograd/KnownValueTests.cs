using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Gradients;

/// <summary>Gradients checked against values derived by hand.</summary>
public class KnownValueTests
{
    [Test]
    public void RnnCellFromPyTorchsIntroductionMatchesHandDerivedGradients()
    {
        // PyTorch's 2017 introduction: next_h = tanh(W_x x^T + W_h prev_h^T), next_h.backward(ones(1, 20)).
        var g = new Generator(1);
        var wx = Tensor.Randn([20, 10], g).RequiresGrad_();
        var wh = Tensor.Randn([20, 20], g).RequiresGrad_();
        var x = Tensor.Randn([1, 10], g);
        var prevH = Tensor.Randn([1, 20], g);
        var i2h = wx.Mm(x.T);
        var h2h = wh.Mm(prevH.T);
        var nextH = (i2h + h2h).Tanh();
        Assert.That(nextH.Shape, Is.EqualTo(new[] { 20, 1 }));
        // As in the introduction, a [1, 20] gradient for the [20, 1] output (same elements, same order).
        nextH.Backward(Tensor.Ones(1, 20));
        // d next_i / d Wx[i,j] = (1 - next_i^2) x_j and d next_i / d Wh[i,j] = (1 - next_i^2) prev_h_j.
        var dz = nextH.Detach().Square().Neg().Add(1.0);
        Assert.That(wx.Grad!.AllClose(dz.Mm(x), 1e-5, 1e-6), Is.True);
        Assert.That(wh.Grad!.AllClose(dz.Mm(prevH), 1e-5, 1e-6), Is.True);
    }

    [Test]
    public void RnnCellInFloat64MatchesToMachinePrecision()
    {
        var g = new Generator(1);
        var wx = Tensor.Randn([20, 10], g, DType.Float64).RequiresGrad_();
        var wh = Tensor.Randn([20, 20], g, DType.Float64).RequiresGrad_();
        var x = Tensor.Randn([1, 10], g, DType.Float64);
        var h = Tensor.Randn([1, 20], g, DType.Float64);
        var next = wx.Mm(x.T).Add(wh.Mm(h.T)).Tanh();
        next.Backward(Tensor.Ones(DType.Float64, 20, 1));
        var dz = next.Detach().Square().Neg().Add(1.0);
        Assert.That(wx.Grad!.AllClose(dz.Mm(x), 1e-12, 1e-12), Is.True);
        Assert.That(wh.Grad!.AllClose(dz.Mm(h), 1e-12, 1e-12), Is.True);
    }

    [Test]
    public void SoftmaxCrossEntropyGradientIsSoftmaxMinusOneHot()
    {
        var logits = Tensor.FromArray(new double[] { 1, 2, 3, 0.5, 0.5, 0.5 }, 2, 3).RequiresGrad_();
        var target = Tensor.FromArray(new long[] { 2, 0 }, 2, 1);
        logits.LogSoftmax(1).Gather(1, target).Sum().Neg().Backward();
        double e1 = Math.Exp(1), e2 = Math.Exp(2), e3 = Math.Exp(3), s = e1 + e2 + e3;
        var expected = new[] { e1 / s, e2 / s, e3 / s - 1, 1 / 3.0 - 1, 1 / 3.0, 1 / 3.0 };
        Assert.That(logits.Grad!.ToArray<double>(), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void BroadcastGradientIsSummedBackToTheInputShape()
    {
        var bias = Tensor.FromArray(new double[] { 1, 2, 3 }).RequiresGrad_();
        var column = Tensor.FromArray(new double[] { 1, 2 }, 2, 1).RequiresGrad_();
        bias.Add(column).Mul(Tensor.Arange(6, DType.Float64).Reshape(2, 3)).Sum().Backward();
        Assert.That(bias.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 3, 5, 7 }));
        Assert.That(column.Grad!.Shape, Is.EqualTo(new[] { 2, 1 }));
        Assert.That(column.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 3, 12 }));
    }

    [Test]
    public void NormAndPowAtZeroHavePyTorchsZeroGradientNotNaN()
    {
        var x = Tensor.Zeros(DType.Float64, 3).RequiresGrad_();
        x.Norm().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 0, 0, 0 }));
        var z = Tensor.Zeros(DType.Float64, 2).RequiresGrad_();
        z.Pow(0).Sum().Backward();
        Assert.That(z.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 0, 0 }));
        var rows = Tensor.FromArray(new double[] { 3, 4, 0, 0 }, 2, 2).RequiresGrad_();
        rows.Norm(2, [1]).Sum().Backward();
        Assert.That(rows.Grad!.ToArray<double>(), Is.EqualTo(new[] { 0.6, 0.8, 0, 0 }).Within(1e-15));
    }

    [Test]
    public void Float32GradientsMatchFloat64OnTheFusedActivations()
    {
        // The fused backward passes (Tanh, Sigmoid, Relu, Square) have float32 and float64 code; gradcheck covers float64.
        var gen = new Generator(5);
        var x64 = Tensor.Randn([8, 3], gen, DType.Float64);
        var w64 = Tensor.Randn([3, 4], gen, DType.Float64);
        Tensor[] Grads(DType dtype)
        {
            var x = x64.To(dtype).RequiresGrad_();
            var w = w64.To(dtype).RequiresGrad_();
            var h = x.MatMul(w);
            h.Tanh().Add(h.Sigmoid()).Add(h.Relu()).Square().Mean().Backward();
            return [x.Grad!.Double(), w.Grad!.Double()];
        }
        var g32 = Grads(DType.Float32);
        var g64 = Grads(DType.Float64);
        Assert.That(g32[0].AllClose(g64[0], rtol: 1e-5, atol: 1e-6), Is.True);
        Assert.That(g32[1].AllClose(g64[1], rtol: 1e-5, atol: 1e-6), Is.True);
    }
}
