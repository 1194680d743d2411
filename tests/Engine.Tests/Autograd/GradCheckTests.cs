using RlPlat.Engine;
using AD = RlPlat.Engine.Autograd;

namespace RlPlat.Engine.Tests.Gradients;

/// <summary>The gradcheck utility itself: it must catch wrong gradients and refuse inputs it cannot check.</summary>
public class GradCheckTests
{
    [Test]
    public void DetectsAWrongGradientAndNamesTheEntry()
    {
        // The hook triples the true gradient 2, so the analytical Jacobian is 6 where finite differences give 2.
        static Tensor Wrong(Tensor[] xs)
        {
            var y = xs[0].Mul(2);
            y.RegisterHook(g => g.Mul(3));
            return y;
        }
        var x = Tensor.FromArray(new double[] { 1, 2 }).RequiresGrad_();
        Assert.That(AD.GradCheck(Wrong, [x], raiseOnFailure: false), Is.False);
        var ex = Assert.Throws<InvalidOperationException>(() => AD.GradCheck(Wrong, [x]));
        Assert.That(ex!.Message, Does.Contain("input 0").And.Contain("analytical 6").And.Contain("numerical 2"));
    }

    [Test]
    public void DetectsAMissingGradient()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }).RequiresGrad_();
        Assert.That(AD.GradCheck(xs => xs[0].Detach().Square(), [x], raiseOnFailure: false), Is.False);
    }

    [Test]
    public void LeavesConstantInputsAloneAndChecksTheRest()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }).RequiresGrad_();
        var c = Tensor.FromArray(new double[] { 3, 4 });
        Assert.That(AD.GradCheck(xs => xs[0].Mul(xs[1]).Exp(), [x, c]), Is.True);
        Assert.That(x.ToArray<double>(), Is.EqualTo(new double[] { 1, 2 }), "perturbations are undone");
    }

    [Test]
    public void RefusesInputsItCannotCheck()
    {
        var f32 = Tensor.FromArray(new float[] { 1 }).RequiresGrad_();
        Assert.That(Assert.Throws<ArgumentException>(() => AD.GradCheck(xs => xs[0].Exp(), [f32]))!.Message, Does.Contain("float64"));
        var expanded = Tensor.FromArray(new double[] { 1 }).Expand(3).RequiresGrad_();
        Assert.That(Assert.Throws<ArgumentException>(() => AD.GradCheck(xs => xs[0].Exp(), [expanded]))!.Message, Does.Contain("overlaps"));
        var constant = Tensor.FromArray(new double[] { 1 });
        Assert.That(Assert.Throws<ArgumentException>(() => AD.GradCheck(xs => xs[0].Exp(), [constant]))!.Message, Does.Contain("no input requires grad"));
    }

    [Test]
    public void GradGradCheckCatchesAWrongSecondDerivative()
    {
        // x·detach(x) with a hook that doubles the gradient: the first derivative 2x is right, but it is built from the
        // detached copy, so its own derivative is 0 instead of 2.
        static Tensor Square(Tensor[] xs)
        {
            var x = xs[0];
            var y = x.Mul(x.Detach());
            y.RegisterHook(g => g.Mul(2));
            return y;
        }
        var x = Tensor.FromArray(new double[] { 1.5, -0.5 }).RequiresGrad_();
        Assert.That(AD.GradCheck(Square, [x]), Is.True, "first derivative 2x is right");
        Assert.That(AD.GradGradCheck(Square, [x], raiseOnFailure: false), Is.False, "second derivative is 0 instead of 2");
    }
}
