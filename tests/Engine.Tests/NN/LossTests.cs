using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Engine.Tests.NN;

/// <summary>Reference values from PyTorch 1.13 (torch.nn.functional) on the same float64 inputs.</summary>
public class LossTests
{
    private static Tensor X() => Tensor.From(new double[,] { { 0.5, -1.5, 2.0 }, { 0.1, 3.0, -0.2 } });
    private static Tensor Y() => Tensor.From(new double[,] { { 0.0, 0.5, -1.0 }, { 0.3, 0.2, 0.1 } });
    private static Tensor Classes() => Tensor.FromArray(new long[] { 2, 0 }, 2);

    [Test]
    public void MseMatchesPyTorch() => Assert.That(new MseLoss().Forward(X(), Y()).Item(), Is.EqualTo(3.5366666666666666).Within(1e-12));

    [Test]
    public void HuberMatchesPyTorch()
    {
        Assert.That(new HuberLoss(1.5).Forward(X(), Y()).Item(), Is.EqualTo(1.4191666666666665).Within(1e-12));
        Assert.That(new HuberLoss(1.5, Reduction.Sum).Forward(X(), Y()).Item(), Is.EqualTo(8.514999999999999).Within(1e-12));
    }

    [Test]
    public void SmoothL1MatchesPyTorch() => Assert.That(new SmoothL1Loss(0.5).Forward(X(), Y()).Item(), Is.EqualTo(1.2383333333333333).Within(1e-12));

    [Test]
    public void CrossEntropyWithIndicesMatchesPyTorch()
    {
        Assert.That(Functional.CrossEntropy(X(), Classes()).Item(), Is.EqualTo(1.6086367187998265).Within(1e-12));
        Assert.That(Functional.CrossEntropy(X(), Classes(), labelSmoothing: 0.2).Item(), Is.EqualTo(1.6886367187998266).Within(1e-12));
        Assert.That(new NllLoss().Forward(X().LogSoftmax(1), Classes()).Item(), Is.EqualTo(1.6086367187998265).Within(1e-12));
    }

    [Test]
    public void CrossEntropyWithProbabilitiesMatchesPyTorch()
    {
        var p = Y().Mul(3).Softmax(1);
        Assert.That(Functional.CrossEntropy(X(), p).Item(), Is.EqualTo(2.72890325385303).Within(1e-12));
        Assert.That(Functional.CrossEntropy(X(), p, labelSmoothing: 0.1).Item(), Is.EqualTo(2.6568766003477102).Within(1e-12));
    }

    [Test]
    public void BinaryCrossEntropiesMatchPyTorch()
    {
        var yb = Tensor.From(new double[,] { { 0, 1, 1 }, { 0, 0, 1 } });
        Assert.That(new BceLoss().Forward(X().Sigmoid(), yb).Item(), Is.EqualTo(1.2322568590391232).Within(1e-12));
        Assert.That(new BceWithLogitsLoss().Forward(X(), yb).Item(), Is.EqualTo(1.2322568590391227).Within(1e-12));
    }

    [Test]
    public void KlDivMatchesPyTorchIncludingZeroTargets()
    {
        var q = Tensor.From(new double[,] { { 0.2, 0.0, 0.8 }, { 0.5, 0.25, 0.25 } });
        Assert.That(new KlDivLoss(Reduction.BatchMean).Forward(X().LogSoftmax(1), q).Item(), Is.EqualTo(0.6635751216107736).Within(1e-12));
        Assert.That(Functional.KlDiv(X().LogSoftmax(1), q, Reduction.Sum).Item(), Is.EqualTo(1.3271502432215472).Within(1e-12));
        Assert.That(Functional.KlDiv(X().LogSoftmax(1), q.Add(1e-300).Log(), Reduction.Sum, logTarget: true).Item(), Is.EqualTo(1.3271502432215472).Within(1e-9));
    }

    [Test]
    public void LossesGradcheck()
    {
        var t = Y();
        GradCheck.Check(xs => Functional.MseLoss(xs[0], t, Reduction.None), [X()]);
        GradCheck.Check(xs => Functional.HuberLoss(xs[0], t, 1.5, Reduction.None), [X()]);
        GradCheck.Check(xs => Functional.CrossEntropy(xs[0], Classes(), 0.1, Reduction.None), [X()]);
        GradCheck.Check(xs => Functional.BinaryCrossEntropyWithLogits(xs[0], t.Sigmoid(), Reduction.None), [X()]);
    }

    [Test]
    public void BadShapesAndClassesAreNamed()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.MseLoss(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)))!.Message, Does.Contain("[2,3]").And.Contain("[3,2]"));
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(X(), Tensor.FromArray(new long[] { 3, 0 }, 2)))!.Message, Does.Contain("[0, 3)"));
    }

    /// <summary>Huber composed from ops, the reference the fused float32 node must equal.</summary>
    private static Tensor ComposedHuber(Tensor input, Tensor target, double delta, Reduction reduction)
    {
        var d = input.Sub(target);
        var a = d.Abs();
        var loss = Tensor.Where(a.Lt(delta), d.Square().Mul(0.5), a.Sub(0.5 * delta).Mul(delta));
        return reduction switch { Reduction.Mean => loss.Mean(), Reduction.Sum => loss.Sum(), _ => loss };
    }

    [TestCase(1.0, Reduction.Mean)]
    [TestCase(1.0, Reduction.Sum)]
    [TestCase(2.5, Reduction.None)]
    [TestCase(0.3, Reduction.Mean)]
    public void FusedFloat32HuberGivesTheComposedValuesAndGradientsBitForBit(double delta, Reduction reduction)
    {
        var g = new Generator(3);
        var x = Tensor.Randn([64], g).Mul(2.0).RequiresGrad_();
        var t = Tensor.Randn([64], g).RequiresGrad_();
        var weights = Tensor.Rand([64], g);
        Tensor Objective(Tensor loss) => reduction == Reduction.None ? loss.Mul(weights).Mean() : loss;
        var fused = Functional.HuberLoss(x, t, delta, reduction);
        Assert.That(fused.GradFn!.Name, Is.EqualTo("HuberLoss"));
        Objective(fused).Backward();
        float[] dx = x.Grad!.ToArray(), dt = t.Grad!.ToArray();
        x.Grad = t.Grad = null;
        var composed = ComposedHuber(x, t, delta, reduction);
        Objective(composed).Backward();
        Assert.That(fused.ToArray(), Is.EqualTo(composed.ToArray()));
        Assert.That(dx, Is.EqualTo(x.Grad!.ToArray()));
        Assert.That(dt, Is.EqualTo(t.Grad!.ToArray()));
    }

    [Test]
    public void FusedHuberSecondDerivativeIsTheMeanShareInsideDeltaAndZeroOutside()
    {
        var x = Tensor.FromArray(new[] { 0.5f, -3f, 0.2f, 2f }, 4).RequiresGrad_();
        var t = Tensor.Zeros(4);
        var first = Autograd.Grad([Functional.HuberLoss(x, t)], [x], createGraph: true)[0]!;
        Assert.That(first.ToArray(), Is.EqualTo(new[] { 0.125f, -0.25f, 0.05f, 0.25f }).Within(1e-7));
        first.Sum().Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0.25f, 0f, 0.25f, 0f }).Within(1e-7));
    }
}
