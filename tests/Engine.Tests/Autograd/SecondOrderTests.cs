using RlPlat.Engine;
using AD = RlPlat.Engine.Autograd;

namespace RlPlat.Engine.Tests.Gradients;

/// <summary>Higher derivatives through <c>createGraph</c>: x³, a Hessian-vector product of a raw-tensor MLP, a gradient penalty.</summary>
public class SecondOrderTests
{
    [Test]
    public void SecondAndThirdDerivativesOfXCubed()
    {
        var x = Tensor.FromArray(new double[] { -1.5, 2 }).RequiresGrad_();
        var y = x.Pow(3).Sum();
        var dy = AD.Grad([y], [x], createGraph: true)[0]!;
        Assert.That(dy.ToArray<double>(), Is.EqualTo(new double[] { 3 * 2.25, 12 }).Within(1e-12));
        Assert.That(dy.RequiresGrad, Is.True);
        var d2y = AD.Grad([dy.Sum()], [x], createGraph: true)[0]!;
        Assert.That(d2y.ToArray<double>(), Is.EqualTo(new double[] { -9, 12 }).Within(1e-12));
        var d3y = AD.Grad(d2y.Sum(), x)[0]!;
        Assert.That(d3y.ToArray<double>(), Is.EqualTo(new double[] { 6, 6 }).Within(1e-12));
    }

    [Test]
    public void BackwardWithCreateGraphMakesLeafGradsDifferentiable()
    {
        var x = Tensor.FromArray(new double[] { 3 }).RequiresGrad_();
        x.Pow(3).Sum().Backward(createGraph: true);
        var g = x.Grad!;
        Assert.That(g.Item(), Is.EqualTo(27));
        Assert.That(g.RequiresGrad, Is.True);
        Assert.That(AD.Grad(g.Sum(), x)[0]!.Item(), Is.EqualTo(18).Within(1e-12));
    }

    [Test]
    public void HessianVectorProductOfASmallMlpMatchesFiniteDifferencesOfTheGradient()
    {
        var gen = new Generator(7);
        var w1 = Tensor.Randn([3, 5], gen, DType.Float64).RequiresGrad_();
        var b1 = Tensor.Randn([5], gen, DType.Float64).RequiresGrad_();
        var w2 = Tensor.Randn([5, 1], gen, DType.Float64).RequiresGrad_();
        var x = Tensor.Randn([4, 3], gen, DType.Float64);
        var target = Tensor.Randn([4, 1], gen, DType.Float64);
        Tensor[] parameters = [w1, b1, w2];
        Tensor Loss() => x.MatMul(w1).Add(b1).Tanh().MatMul(w2).Sub(target).Square().Mean();
        Tensor[] v = [Tensor.Randn([3, 5], gen, DType.Float64), Tensor.Randn([5], gen, DType.Float64), Tensor.Randn([5, 1], gen, DType.Float64)];

        // Hv = d/dθ (∇L(θ) · v)
        var grads = AD.Grad([Loss()], parameters, createGraph: true);
        var dot = grads[0]!.Mul(v[0]).Sum().Add(grads[1]!.Mul(v[1]).Sum()).Add(grads[2]!.Mul(v[2]).Sum());
        var hv = AD.Grad([dot], parameters);

        // Reference: (∇L(θ + εv) - ∇L(θ - εv)) / 2ε
        const double eps = 1e-5;
        Tensor?[] GradAt(double sign)
        {
            using (AD.NoGrad()) for (int i = 0; i < 3; i++) parameters[i].AddInPlace(v[i], sign * eps);
            var g = AD.Grad([Loss()], parameters);
            using (AD.NoGrad()) for (int i = 0; i < 3; i++) parameters[i].AddInPlace(v[i], -sign * eps);
            return g;
        }
        var plus = GradAt(1);
        var minus = GradAt(-1);
        for (int i = 0; i < 3; i++)
        {
            var expected = plus[i]!.Sub(minus[i]!).Div(2 * eps);
            Assert.That(hv[i]!.AllClose(expected, rtol: 1e-5, atol: 1e-7), Is.True, $"parameter {i}: {hv[i]} vs {expected}");
        }
    }

    [Test]
    public void GradientPenaltyTrainsThroughTheGradientNorm()
    {
        // WGAN-GP style: penalty = (‖∂D/∂x‖ - 1)², differentiated with respect to D's weight.
        // D(x) = w·x, so ∂D/∂x = w and the penalty's gradient is 2(‖w‖ - 1)·w/‖w‖.
        var w = Tensor.FromArray(new double[] { 3, 4 }).RequiresGrad_();
        var x = Tensor.FromArray(new double[] { 0.5, -1 }).RequiresGrad_();
        var d = w.Mul(x).Sum();
        var gx = AD.Grad([d], [x], createGraph: true)[0]!;
        var penalty = gx.Norm().Sub(1).Square();
        penalty.Backward();
        Assert.That(penalty.Item(), Is.EqualTo(16).Within(1e-12));
        Assert.That(w.Grad!.ToArray<double>(), Is.EqualTo(new[] { 2 * 4 * 3 / 5.0, 2 * 4 * 4 / 5.0 }).Within(1e-12));
    }
}
