using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Engine.Tests.Optim;

public class LrScheduleTests
{
    private static SGD Opt() => new([new Parameter(Tensor.Zeros(1))], lr: 0.1);

    private static double[] Lrs(LrSchedule s, int n)
    {
        var r = new double[n];
        for (int i = 0; i < n; i++) { r[i] = s.Optimizer.Lr; s.Step(); }
        return r;
    }

    [Test]
    public void LinearInterpolatesThenHolds() =>
        Assert.That(Lrs(new LinearLr(Opt(), 4, 1, 0.5), 6), Is.EqualTo(new[] { 0.1, 0.0875, 0.075, 0.0625, 0.05, 0.05 }).Within(1e-12));

    [Test]
    public void CosineFollowsHalfAPeriod() =>
        Assert.That(Lrs(new CosineLr(Opt(), 4, 0.1), 5), Is.EqualTo(new[] { 0.1, 0.01 + 0.09 * (1 + Math.Cos(Math.PI / 4)) / 2, 0.055, 0.01 + 0.09 * (1 + Math.Cos(3 * Math.PI / 4)) / 2, 0.01 }).Within(1e-12));

    [Test]
    public void StepAndExponentialDecay()
    {
        Assert.That(Lrs(new StepLr(Opt(), 2, 0.5), 5), Is.EqualTo(new[] { 0.1, 0.1, 0.05, 0.05, 0.025 }).Within(1e-12));
        Assert.That(Lrs(new ExponentialLr(Opt(), 0.9), 3), Is.EqualTo(new[] { 0.1, 0.09, 0.081 }).Within(1e-12));
        Assert.That(Lrs(new ConstantLr(Opt()), 2), Is.EqualTo(new[] { 0.1, 0.1 }));
    }

    [Test]
    public void WarmupThenFollowsTheNextSchedule()
    {
        var opt = Opt();
        var warm = new WarmupLr(opt, 2, new StepLr(opt, 1, 0.5));
        Assert.That(Lrs(warm, 5), Is.EqualTo(new[] { 0.0, 0.05, 0.1, 0.05, 0.025 }).Within(1e-12));
        warm.SetStep(1);
        Assert.That(opt.Lr, Is.EqualTo(0.05).Within(1e-12));
    }

    [Test]
    public void GroupsKeepTheirRatio()
    {
        var opt = new SGD([new ParamGroup([new Parameter(Tensor.Zeros(1))]), new ParamGroup([new Parameter(Tensor.Zeros(1))], lr: 1.0)], lr: 0.1);
        new ExponentialLr(opt, 0.5).Step();
        Assert.That(opt.ParamGroups[0].Lr, Is.EqualTo(0.05));
        Assert.That(opt.ParamGroups[1].Lr, Is.EqualTo(0.5));
    }
}
