using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Engine.Tests.Lazy;

[NonParallelizable]
public class LazyAutogradTests
{
    /// <summary>f computed in float32 under lazy mode, from and to float64 so GradCheck can drive it.</summary>
    private static Tensor LazyF32(Tensor[] xs, Func<Tensor, Tensor, Tensor> f)
    {
        using (LazyMode.Scope()) return f(xs[0].Float(), xs[1].Float()).Double();
    }

    [Test]
    public void GradientsThroughLazyGraphsPassGradCheck()
    {
        var g = new Generator(5);
        var a = Tensor.Rand([3, 4], g, DType.Float64).Add(0.5).RequiresGrad_();
        var b = Tensor.Rand([4], g, DType.Float64).Sub(0.5).RequiresGrad_();
        // Elementwise tree with broadcasting, a shared subexpression, a fused sum and a mean.
        Func<Tensor, Tensor, Tensor> f = (x, y) =>
        {
            var s = x.Mul(y).Add(0.3).Tanh();
            return s.Mul(s).Add(x.Sqrt().Mul(y.Exp())).Sigmoid().Div(x.Square().Sum().Add(1.0));
        };
        // float32 arithmetic: a larger step and looser tolerances than GradCheck's float64 defaults.
        Assert.That(Autograd.GradCheck(xs => LazyF32(xs, f), [a, b], eps: 1e-2, atol: 2e-3, rtol: 2e-2), Is.True);
        Func<Tensor, Tensor, Tensor> loss = (x, y) => x.Sub(y).Square().Mean().Add(x.Relu().Mul(y).Sum());
        Assert.That(Autograd.GradCheck(xs => LazyF32(xs, loss), [a, b], eps: 1e-2, atol: 2e-3, rtol: 2e-2), Is.True);
    }

    [Test]
    public void BackwardInLazyModeMatchesEagerAndRunsFusedKernels()
    {
        var g = new Generator(9);
        var x = Tensor.Randn([32, 8], g);
        var t = Tensor.Randn([32, 4], g);
        var w = Tensor.Randn([8, 4], g).Mul(0.3);
        var b = Tensor.Randn([4], g).Mul(0.1);

        (Tensor Gw, Tensor Gb, double Loss) Run(bool lazy)
        {
            var wl = w.Clone().RequiresGrad_();
            var bl = b.Clone().RequiresGrad_();
            using var scope = lazy ? LazyMode.Scope() : default;
            var y = x.MatMul(wl).Add(bl).Tanh();
            var loss = y.Sub(t).Square().Mean();
            loss.Backward();
            Assert.That(wl.Grad!.IsLazy, Is.False, "Backward realizes the gradients");
            Assert.That(bl.Grad!.IsLazy, Is.False);
            return (wl.Grad!, bl.Grad!, loss.Item());
        }

        var eager = Run(false);
        var before = LazyMode.Counters;
        var lazy = Run(true);
        var d = LazyMode.Counters - before;
        Assert.That(lazy.Loss, Is.EqualTo(eager.Loss).Within(1e-5));
        Assert.That(lazy.Gw.ToArray(), Is.EqualTo(eager.Gw.ToArray()).Within(1e-5));
        Assert.That(lazy.Gb.ToArray(), Is.EqualTo(eager.Gb.ToArray()).Within(1e-5));
        // Forward + backward of the elementwise part: a handful of fused kernels, not one per op.
        TestContext.Out.WriteLine($"lazy forward+backward: {d.KernelsLaunched} fused kernels");
        Assert.That(d.KernelsLaunched, Is.LessThanOrEqualTo(8));
    }

    private static (Linear, Linear) TwoCopies(int seed)
    {
        var a = new Linear(16, 8, generator: new Generator(seed));
        var b = new Linear(16, 8, generator: new Generator(seed));
        return (a, b);
    }

    private static void TrainSteps(Linear model, Optimizer opt, bool lazy, int steps)
    {
        var g = new Generator(77);
        for (int s = 0; s < steps; s++)
        {
            var x = Tensor.Randn([20, 16], g);
            opt.ZeroGrad();
            using var scope = lazy ? LazyMode.Scope() : default;
            model.Forward(x).Tanh().Square().Mean().Backward();
            opt.Step();
        }
    }

    private static void AssertSameParameters(Linear a, Linear b)
    {
        var pa = a.Parameters().ToList();
        var pb = b.Parameters().ToList();
        for (int i = 0; i < pa.Count; i++)
            Assert.That(pb[i].Value.ToArray(), Is.EqualTo(pa[i].Value.ToArray()).Within(1e-6), $"parameter {i}");
    }

    [TestCase(0.0, false)]
    [TestCase(0.01, false)]
    [TestCase(0.01, true)]
    public void AdamStepLazyEqualsEagerAndIsOneKernelPerParameter(double weightDecay, bool decoupled)
    {
        var (eagerModel, lazyModel) = TwoCopies(3);
        Optimizer MakeOpt(Linear m) => decoupled ? new AdamW(m, lr: 0.01, weightDecay: weightDecay) : new Adam(m, lr: 0.01, weightDecay: weightDecay);
        var eagerOpt = MakeOpt(eagerModel);
        var lazyOpt = MakeOpt(lazyModel);
        TrainSteps(eagerModel, eagerOpt, lazy: false, steps: 3);
        TrainSteps(lazyModel, lazyOpt, lazy: true, steps: 3);
        AssertSameParameters(eagerModel, lazyModel);
        for (int i = 0; i < 2; i++)
            Assert.That(lazyOpt.GetState(lazyModel.Parameters().ElementAt(i))!.Buffers[1].ToArray(),
                Is.EqualTo(eagerOpt.GetState(eagerModel.Parameters().ElementAt(i))!.Buffers[1].ToArray()).Within(1e-9), "second moment");

        lazyModel.Forward(Tensor.Ones(2, 16)).Sum().Backward();
        var before = LazyMode.Counters;
        using (LazyMode.Scope()) lazyOpt.Step();
        Assert.That((LazyMode.Counters - before).KernelsLaunched, Is.EqualTo(2), "weight and bias: one fused kernel each");
    }

    [TestCase(0.0, 0.0, false)]
    [TestCase(0.9, 0.1, false)]
    [TestCase(0.9, 0.0, true)]
    public void SgdStepLazyEqualsEager(double momentum, double dampening, bool nesterov)
    {
        var (eagerModel, lazyModel) = TwoCopies(4);
        var eagerOpt = new SGD(eagerModel, lr: 0.05, momentum: momentum, dampening: dampening, weightDecay: 0.001, nesterov: nesterov);
        var lazyOpt = new SGD(lazyModel, lr: 0.05, momentum: momentum, dampening: dampening, weightDecay: 0.001, nesterov: nesterov);
        TrainSteps(eagerModel, eagerOpt, lazy: false, steps: 3);
        TrainSteps(lazyModel, lazyOpt, lazy: true, steps: 3);
        AssertSameParameters(eagerModel, lazyModel);
    }
}
