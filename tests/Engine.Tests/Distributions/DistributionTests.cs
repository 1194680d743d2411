using RlPlat.Engine;
using RlPlat.Engine.Distributions;

namespace RlPlat.Engine.Tests.Distributions;

/// <summary>Entropies and log-probabilities against torch.distributions 1.13; sampling against frequencies.</summary>
public class DistributionTests
{
    private static Tensor Logits() => Tensor.From(new double[,] { { 1.0, 2.0, 0.5 }, { 0.0, -1.0, 3.0 } });

    [Test]
    public void CategoricalEntropyAndLogProbMatchTorch()
    {
        var c = new Categorical(Logits());
        Assert.That(c.Entropy().ToArray<double>(), Is.EqualTo(new[] { 0.9059592564792269, 0.2743130736734325 }).Within(1e-12));
        Assert.That(c.LogProb(Tensor.FromArray(new long[] { 1, 2 }, 2)).ToArray<double>(), Is.EqualTo(new[] { -0.46436878410794513, -0.06588390375742925 }).Within(1e-12));
        Assert.That(c.Mode().ToArray<long>(), Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public void MaskedCategoricalMatchesTorchAndNeverSamplesInvalidActions()
    {
        var mask = Tensor.FromArray(new[] { true, false, true, true, false, true }, 2, 3);
        var c = new Categorical(Logits(), mask);
        Assert.That(c.Entropy().ToArray<double>(), Is.EqualTo(new[] { 0.6628473185791794, 0.19086497110644243 }).Within(1e-12));
        Assert.That(c.LogProb(Tensor.FromArray(new long[] { 0, 2 }, 2)).ToArray<double>(), Is.EqualTo(new[] { -0.4740769841801067, -0.048587351573742055 }).Within(1e-12));
        Assert.That(c.Mode().ToArray<long>(), Is.EqualTo(new long[] { 0, 2 }), "the unmasked argmax of row 0 is the masked action 1");
        var g = new Generator(1);
        for (int i = 0; i < 2000; i++)
        {
            var s = c.Sample(g).ToArray<long>();
            Assert.That(s[0], Is.Not.EqualTo(1));
            Assert.That(s[1], Is.Not.EqualTo(1));
        }
    }

    [Test]
    public void CategoricalSampleFrequenciesFollowTheProbabilities()
    {
        var c = new Categorical(Tensor.FromArray(new float[] { 0, (float)Math.Log(3) }, 2));
        var g = new Generator(42);
        int ones = 0, n = 20000;
        for (int i = 0; i < n; i++) ones += (int)c.Sample(g).Item();
        Assert.That(ones / (double)n, Is.EqualTo(0.75).Within(0.01));
        Assert.That(new Categorical(Logits()).Sample(new Generator(3)).ToArray<long>(), Is.EqualTo(new Categorical(Logits()).Sample(new Generator(3)).ToArray<long>()));
    }

    [Test]
    public void MaskWithAnEmptyRowIsRejected()
    {
        var mask = Tensor.FromArray(new[] { true, false, true, false, false, false }, 2, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => new Categorical(Logits(), mask))!.Message, Does.Contain("no valid action"));
    }

    [Test]
    public void CategoricalLogProbGradientIsOneHotMinusProbs()
    {
        var logits = Tensor.FromArray(new double[] { 1, 2, 0.5 }, 3).RequiresGrad_();
        var c = new Categorical(logits);
        c.LogProb(Tensor.Scalar(0, DType.Int64)).Backward();
        var p = logits.Detach().Softmax(0).ToArray<double>();
        Assert.That(logits.Grad!.ToArray<double>(), Is.EqualTo(new[] { 1 - p[0], -p[1], -p[2] }).Within(1e-12));
    }

    [Test]
    public void NormalLogProbAndEntropyMatchTorch()
    {
        var n = new Normal(Tensor.FromArray(new float[] { 0.5f, -1 }, 2), Tensor.FromArray(new float[] { 2, 0.3f }, 2));
        Assert.That(n.LogProb(Tensor.FromArray(new float[] { 1, -0.8f }, 2)).ToArray(), Is.EqualTo(new[] { -1.6433357000350952, 0.06281208992004395 }).Within(1e-6));
        Assert.That(n.Entropy().ToArray(), Is.EqualTo(new[] { 2.1120858192443848, 0.21496570110321045 }).Within(1e-6));
        Assert.That(n.Mode().ToArray(), Is.EqualTo(new[] { 0.5f, -1f }));
    }

    [Test]
    public void DiagGaussianSumsOverTheActionDim()
    {
        var mean = Tensor.FromArray(new float[] { 0.5f, -1, 0.5f, -1 }, 2, 2);
        var d = new DiagGaussian(mean, Tensor.FromArray(new float[] { 2, 0.3f }, 2));
        var lp = d.LogProb(Tensor.FromArray(new float[] { 1, -0.8f, 1, -0.8f }, 2, 2)).ToArray();
        Assert.That(lp, Is.EqualTo(new[] { -1.6433357000350952 + 0.06281208992004395, -1.6433357000350952 + 0.06281208992004395 }).Within(1e-5));
        Assert.That(d.Entropy().ToArray()[0], Is.EqualTo(2.1120858192443848 + 0.21496570110321045).Within(1e-5));
    }

    [Test]
    public void RSampleCarriesGradientsAndSampleDoesNot()
    {
        var mean = Tensor.Zeros(DType.Float64, 5000).RequiresGrad_();
        var logStd = Tensor.Full([5000], Math.Log(2), DType.Float64).RequiresGrad_();
        var d = DiagGaussian.FromLogStd(mean, logStd);
        var x = d.RSample(new Generator(9));
        Assert.That(x.RequiresGrad, Is.True);
        Assert.That(d.Sample(new Generator(9)).RequiresGrad, Is.False);
        Assert.That(d.Sample(new Generator(9)).ToArray<double>(), Is.EqualTo(x.Detach().ToArray<double>()), "same generator seed, same noise");
        // Sample statistics: mean 0, std 2.
        var v = x.Detach().ToArray<double>();
        Assert.That(v.Average(), Is.EqualTo(0).Within(0.1));
        Assert.That(Math.Sqrt(v.Select(a => a * a).Average()), Is.EqualTo(2).Within(0.1));
        // d(sum x)/d mean = 1; d(sum x)/d logStd = x (since x = mean + exp(logStd)·eps).
        x.Sum().Backward();
        Assert.That(mean.Grad!.ToArray<double>(), Is.All.EqualTo(1.0));
        Assert.That(logStd.Grad!.ToArray<double>(), Is.EqualTo(v).Within(1e-12));
    }
}

public class TanhGaussianTests
{
    [Test]
    public void LogProbIncludesTheTanhJacobian()
    {
        // One dim: p(a) = N(atanh a; μ, σ) / (1 - a²).
        var d = new TanhGaussian(Tensor.FromArray(new double[] { 0.3 }, 1), Tensor.FromArray(new double[] { 0.8 }, 1));
        double a = 0.6, u = Math.Atanh(a);
        double expected = -0.5 * Math.Pow((u - 0.3) / 0.8, 2) - Math.Log(0.8) - 0.5 * Math.Log(2 * Math.PI) - Math.Log(1 - a * a);
        Assert.That(d.LogProb(Tensor.FromArray(new double[] { a }, 1)).Item(), Is.EqualTo(expected).Within(1e-9));
        Assert.That(d.Mode().Item(), Is.EqualTo(Math.Tanh(0.3)).Within(1e-12));
    }

    [Test]
    public void SampleWithLogProbAgreesWithLogProbOfTheAction()
    {
        var d = TanhGaussian.FromLogStd(Tensor.Zeros(DType.Float64, 3, 2), Tensor.Full([2], -0.5, DType.Float64));
        var (a, lp) = d.RSampleWithLogProb(new Generator(4));
        Assert.That(a.Abs().Max().Item(), Is.LessThan(1));
        Assert.That(lp.ToArray<double>(), Is.EqualTo(d.LogProb(a).ToArray<double>()).Within(1e-8));
        Assert.That(d.RSample(new Generator(4)).ToArray<double>(), Is.EqualTo(a.ToArray<double>()));
    }

    [Test]
    public void EntropyEstimateApproachesTheNumericalIntegral()
    {
        // Entropy of tanh(N(0, 1)) by quadrature over u: H = H_N + E[log(1 - tanh²u)].
        double h = 0.5 + 0.5 * Math.Log(2 * Math.PI), du = 1e-3;
        for (double u = -10; u < 10; u += du)
        {
            double pdf = Math.Exp(-u * u / 2) / Math.Sqrt(2 * Math.PI);
            h += pdf * Math.Log(1 - Math.Tanh(u) * Math.Tanh(u)) * du;
        }
        var d = new TanhGaussian(Tensor.Zeros(DType.Float64, 1), Tensor.Ones(DType.Float64, 1));
        Assert.That(d.EntropyEstimate(new Generator(1), samples: 20000).Item(), Is.EqualTo(h).Within(0.02));
    }
}
