using RlPlat.Engine;
using AD = RlPlat.Engine.Autograd;

namespace RlPlat.Engine.Tests.Gradients;

/// <summary>Anomaly mode: the first NaN/Inf in forward or backward names the op that made it.</summary>
public class AnomalyTests
{
    [Test]
    public void ForwardNaNNamesTheOp()
    {
        var x = Tensor.FromArray(new double[] { 1, -1 }).RequiresGrad_();
        using (AD.DetectAnomaly())
        {
            var ex = Assert.Throws<InvalidOperationException>(() => x.Mul(2).Log());
            Assert.That(ex!.Message, Does.Contain("Log").And.Contain("forward"));
        }
        Assert.That(double.IsNaN(x.Log().ToArray<double>()[1]), Is.True, "outside the scope NaN passes through");
    }

    [Test]
    public void BackwardInfNamesTheOp()
    {
        // sqrt is finite at 0 but its gradient 1/(2·sqrt(0)) is not.
        var x = Tensor.FromArray(new double[] { 0, 4 }).RequiresGrad_();
        using (AD.DetectAnomaly())
        {
            var y = x.Sqrt().Sum();
            var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
            Assert.That(ex!.Message, Does.Contain("Sqrt").And.Contain("backward"));
        }
        Assert.That(AD.IsAnomalyEnabled, Is.False);
    }

    [Test]
    public void FiniteGraphsPassUnchanged()
    {
        var x = Tensor.FromArray(new double[] { 0.5, 2 }).RequiresGrad_();
        using (AD.DetectAnomaly()) x.Sqrt().Log().Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { 1 / (2 * 0.5), 1 / (2 * 2.0) }).Within(1e-12));
    }
}
