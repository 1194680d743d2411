using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Engine.Tests.NN;

/// <summary>
/// Layers against PyTorch 1.13 on deterministic float64 inputs (sin(0.37·i + 0.1) and friends, the same formula as
/// the reference script), a naive convolution loop, and float64 gradchecks.
/// </summary>
public class LayerTests
{
    private static Tensor Det(int[] shape, double a)
    {
        int n = 1;
        foreach (var s in shape) n *= s;
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Math.Sin(i * a + 0.1);
        return Tensor.FromArray(v, shape);
    }

    private static void Set(Parameter p, Tensor v)
    {
        using (Autograd.NoGrad()) p.Value.CopyInPlace(v);
    }

    private static Tensor X() => Det([2, 4, 5, 6], 0.37);

    [Test]
    public void Conv2dWithStridePaddingDilationGroupsMatchesPyTorch()
    {
        var conv = new Conv2d(4, 6, (3, 2), (2, 1), (1, 2), (1, 2), groups: 2, dtype: DType.Float64);
        Set(conv.Weight, Det([6, 2, 3, 2], 0.23));
        Set(conv.Bias!, Det([6], 0.5));
        var y = conv.Forward(X());
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 6, 3, 8 }));
        Assert.That(y.Sum([0, 2, 3]).ToArray<double>(), Is.EqualTo(new[] { 41.330829589851, -6.334380618904, 68.303469245085, 66.657962071296, 35.329686524518, 17.39622228767 }).Within(1e-9));
        Assert.That(y[0, 0].Reshape(-1).Narrow(0, 0, 6).ToArray<double>(), Is.EqualTo(new[] { 0.426008563682, 0.602787740524, 0.984345843509, 1.202072562198, 1.270616383374, 1.180700222395 }).Within(1e-9));
    }

    [Test]
    public void Conv2dMatchesANaiveLoop()
    {
        var x = Tensor.Randn([2, 3, 9, 8], new Generator(1));
        var conv = new Conv2d(3, 5, 3, stride: 2, padding: 1, generator: new Generator(2));
        var y = conv.Forward(x);
        var w = conv.Weight.Value; var b = conv.Bias!.Value;
        int oh = 5, ow = 4;
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 5, oh, ow }));
        for (int n = 0; n < 2; n++)
            for (int o = 0; o < 5; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double s = b.GetValue(o);
                        for (int c = 0; c < 3; c++)
                            for (int ky = 0; ky < 3; ky++)
                                for (int kx = 0; kx < 3; kx++)
                                {
                                    int iy = i * 2 - 1 + ky, ix = j * 2 - 1 + kx;
                                    if (iy < 0 || iy >= 9 || ix < 0 || ix >= 8) continue;
                                    s += x.GetValue(n, c, iy, ix) * w.GetValue(o, c, ky, kx);
                                }
                        Assert.That(y.GetValue(n, o, i, j), Is.EqualTo(s).Within(1e-5));
                    }
    }

    [Test]
    public void LargeBatchUnfoldAndFoldAgreeWithPerImageRuns()
    {
        // 8 images are above the parallel threshold, one image is below: both paths must give the same numbers.
        var x = Tensor.Randn([8, 4, 40, 40], new Generator(6));
        var win = new Window2d(4, 4, 1, 1, 1, 1);
        var cols = Functional.Unfold(x, win);
        var perImage = new Tensor[8];
        for (int b = 0; b < 8; b++) perImage[b] = Functional.Unfold(x.Narrow(0, b, 1), win);
        Assert.That(cols.Equal(Tensor.Cat(perImage, 0)), Is.True);
        var folded = Functional.Fold(cols, [8, 4, 40, 40], win);
        var rows = cols.Size(0) / 8;
        for (int b = 0; b < 8; b += 7)
            Assert.That(folded.Narrow(0, b, 1).Equal(Functional.Fold(cols.Narrow(0, b * rows, rows), [1, 4, 40, 40], win)), Is.True);
    }

    [Test]
    public void Conv1dMatchesPyTorch()
    {
        var conv = new Conv1d(3, 4, 3, stride: 2, padding: 1, dtype: DType.Float64);
        Set(conv.Weight, Det([4, 3, 3], 0.29));
        Set(conv.Bias!, Det([4], 0.7));
        var y = conv.Forward(Det([2, 3, 7], 0.41));
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 4, 4 }));
        Assert.That(y.ToArray<double>(), Is.EqualTo(new[] { -0.014199825479, 0.168217358316, 0.610716594935, 0.616901301939, 1.206802967073, 1.125993709781, 0.418690494525, 0.184078881877, 0.267720994785, 0.224619105851, 1.001511796486, 1.39979790247, 1.577181111316, 1.73229809729, 1.100237013233, 0.648202712363, 0.500708170344, 0.514881856402, 0.028134766074, -0.179852269242, 0.121082205353, -0.137606872743, 0.312848304919, 0.757850097585, 1.624597409858, 2.056404127531, 1.766565737426, 1.207368937172, 0.323644661794, -0.1621017643, -0.11287507218, 0.406179354988 }).Within(1e-9));
    }

    [Test]
    public void PoolsMatchPyTorch()
    {
        var x = X();
        Assert.That(new MaxPool2d(3, 2, 1).Forward(x.Narrow(0, 0, 1).Narrow(1, 0, 2)).ToArray<double>(), Is.EqualTo(new[] { 0.73223144403, 0.935616001553, 0.999957646499, 0.749174348332, 0.999871708718, 0.999871708718, 0.749174348332, 0.999871708718, 0.999871708718, 0.94034039141, 0.999739337037, 0.923828253385, 0.94034039141, 0.999739337037, 0.923828253385, 0.999560537602, 0.999560537602, 0.758132221587 }).Within(1e-9));
        Assert.That(new AvgPool2d(2, 2, 1).Forward(x.Narrow(0, 0, 1).Narrow(1, 0, 1)).ToArray<double>(), Is.EqualTo(new[] { 0.024958354162, 0.299382351337, 0.483893412013, 0.232239928751, -0.063236584368, -0.326456226433, -0.437039168885, -0.187466570096, 0.222302235273, 0.367732581232, 0.11226941706, -0.064687643411 }).Within(1e-9));
        Assert.That(new AdaptiveAvgPool2d(2, 4).Forward(x.Narrow(0, 0, 1).Narrow(1, 0, 1)).ToArray<double>(), Is.EqualTo(new[] { -0.040727658514, -0.018049250063, 0.031236162085, 0.051172616458, -0.042104099914, -0.058799302454, -0.067132567303, -0.05764276131 }).Within(1e-9));
    }

    [Test]
    public void BatchNorm2dTrainAndEvalMatchPyTorch()
    {
        var bn = new BatchNorm2d(4);
        bn.To(DType.Float64);
        Set(bn.Weight!, Det([4], 0.3));
        Set(bn.Bias!, Det([4], 0.9));
        var x = X();
        var y = bn.Forward(x);
        Assert.That(y.Select(0, 0).Select(1, 0).Select(1, 0).ToArray<double>(), Is.EqualTo(new[] { 0.104298247587, 0.224278951107, 0.717609478419, 1.622732876876 }).Within(1e-6));
        Assert.That(bn.RunningMean.ToArray<double>(), Is.EqualTo(new[] { 0.006789964226, 0.010383510947, -0.004625292374, -0.011347755147 }).Within(1e-6));
        Assert.That(bn.RunningVar.ToArray<double>(), Is.EqualTo(new[] { 0.951848125119, 0.947484222523, 0.953595440559, 0.946002504268 }).Within(1e-6));
        Assert.That(bn.GetBuffer("num_batches_tracked")!.Item(), Is.EqualTo(1));
        bn.Eval();
        Assert.That(bn.Forward(x).Select(0, 1).Select(1, 1).Select(1, 1).ToArray<double>(), Is.EqualTo(new[] { 0.102605795492, 1.236384874762, 1.064186088096, -0.486796443509 }).Within(1e-6));
    }

    [Test]
    public void LayerNormMatchesPyTorch()
    {
        var ln = new LayerNorm([5, 6]);
        ln.To(DType.Float64);
        Set(ln.Weight!, Det([5, 6], 0.3));
        Set(ln.Bias!, Det([5, 6], 0.8));
        Assert.That(ln.Forward(X())[0, 0, 0].ToArray<double>(), Is.EqualTo(new[] { 0.101448444387, 0.986200546852, 1.596014708534, 1.617631480288, 1.097923327136, 0.382857440005 }).Within(1e-9));
    }

    private static void SetRecurrent(Module m)
    {
        int i = 0;
        foreach (var p in m.Parameters()) { Set(p, Det(p.Shape, 0.31 + 0.07 * i).Mul(0.5)); i++; }
    }

    [Test]
    public void TwoLayerLstmMatchesPyTorch()
    {
        var lstm = new LSTM(3, 4, numLayers: 2, dtype: DType.Float64);
        SetRecurrent(lstm);
        Assert.That(lstm.NamedParameters().Select(p => p.Name).First(), Is.EqualTo("cells.0.weight_ih"));
        var (output, (h, c)) = lstm.Forward(Det([5, 2, 3], 0.19), null);
        Assert.That(output.Select(0, 4).ToArray<double>(), Is.EqualTo(new[] { -0.283195966775, 0.19199295298, 0.179631327912, 0.100194668834, -0.265443320361, 0.182767093216, 0.175686885616, 0.101003689626 }).Within(1e-9));
        Assert.That(h.ToArray<double>(), Is.EqualTo(new[] { -0.384752184365, -0.326363029033, -0.248722413384, 0.239731408797, -0.418919480913, -0.352500800174, -0.274734784266, 0.258244289156, -0.283195966775, 0.19199295298, 0.179631327912, 0.100194668834, -0.265443320361, 0.182767093216, 0.175686885616, 0.101003689626 }).Within(1e-9));
        Assert.That(c.ToArray<double>(), Is.EqualTo(new[] { -0.612274508423, -0.896733913638, -0.879694025595, 0.610018787065, -0.73082289566, -0.930489499557, -0.866415977113, 0.581623003785, -0.506865422307, 0.587249444663, 0.847816488444, 0.272567123904, -0.464356617933, 0.547470849716, 0.862180609143, 0.265371471813 }).Within(1e-9));
    }

    [Test]
    public void GruMatchesPyTorchAndBatchFirstTransposes()
    {
        var gru = new GRU(3, 4, dtype: DType.Float64);
        SetRecurrent(gru);
        var x = Det([5, 2, 3], 0.19);
        var (output, h) = gru.Forward(x, null);
        var expected = new[] { -0.167662062862, -0.646434453926, -0.424516358151, 0.544150076244, -0.233347610217, -0.619993330054, -0.442974652746, 0.502181110555 };
        Assert.That(output.Select(0, 4).ToArray<double>(), Is.EqualTo(expected).Within(1e-9));
        Assert.That(h.ToArray<double>(), Is.EqualTo(expected).Within(1e-9));
        var bf = new GRU(3, 4, batchFirst: true, dtype: DType.Float64);
        bf.LoadStateDict(gru.StateDict());
        Assert.That(bf.Forward(x.Transpose(0, 1)).Select(1, 4).ToArray<double>(), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void DropoutZeroesAboutPAndScalesTheRestAndIsIdentityInEval()
    {
        var d = new Dropout(0.25, new Generator(3));
        var y = d.Forward(Tensor.Ones(10000)).ToArray();
        double dropped = y.Count(v => v == 0) / 10000.0;
        Assert.That(dropped, Is.EqualTo(0.25).Within(0.02));
        Assert.That(y.Where(v => v != 0), Is.All.EqualTo(1 / 0.75f).Within(1e-6));
        d.Eval();
        Assert.That(d.Forward(Tensor.Ones(5)).ToArray(), Is.All.EqualTo(1f));
    }

    [Test]
    public void EmbeddingLooksUpRowsAndRejectsBadIndices()
    {
        var e = new Embedding(5, 3, new Generator(1));
        var idx = Tensor.FromArray(new long[] { 4, 0, 4, 2 }, 2, 2);
        var y = e.Forward(idx);
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 2, 3 }));
        Assert.That(y[1, 0].ToArray(), Is.EqualTo(e.Weight.Value[4].ToArray()));
        y.Sum().Backward();
        Assert.That(e.Weight.Grad!.Sum(1).ToArray(), Is.EqualTo(new[] { 3f, 0, 3, 0, 6 }));
        Assert.That(Assert.Throws<ArgumentException>(() => e.Forward(Tensor.FromArray(new long[] { 5 }, 1)))!.Message, Does.Contain("[0, 5)"));
    }

    [Test]
    public void FlattenKeepsTheBatchDim() =>
        Assert.That(new Flatten().Forward(Tensor.Zeros(2, 3, 4, 5)).Shape, Is.EqualTo(new[] { 2, 60 }));

    [Test]
    public void InitializersHaveTheirDocumentedStatistics()
    {
        var g = new Generator(5);
        var w = Init.Orthogonal(Tensor.Zeros(DType.Float64, 6, 10), gain: 2, g);
        var wwt = w.MatMul(w.T).ToArray<double>();
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++) Assert.That(wwt[i * 6 + j], Is.EqualTo(i == j ? 4.0 : 0.0).Within(1e-9));
        var tall = Init.Orthogonal(Tensor.Zeros(DType.Float64, 10, 4), generator: g);
        Assert.That(tall.T.MatMul(tall).AllClose(Tensor.Eye(4, dtype: DType.Float64), atol: 1e-9), Is.True);
        var xu = Init.XavierUniform(Tensor.Zeros(200, 300), generator: g).ToArray();
        double a = Math.Sqrt(6.0 / 500);
        Assert.That(xu.Max(), Is.LessThanOrEqualTo(a));
        Assert.That(xu.Select(v => (double)v * v).Average(), Is.EqualTo(a * a / 3).Within(0.05 * a * a / 3));
        var kn = Init.KaimingNormal(Tensor.Zeros(300, 200), nonlinearity: "relu", generator: g).ToArray();
        Assert.That(kn.Select(v => (double)v * v).Average(), Is.EqualTo(2.0 / 200).Within(0.05 * 2.0 / 200));
        Assert.That(Init.CalculateGain("tanh"), Is.EqualTo(5.0 / 3));
        Assert.That(Init.Constant(Tensor.Zeros(2), 0.5).ToArray(), Is.All.EqualTo(0.5f));
    }

    [Test]
    public void LayersGradcheck()
    {
        var g = new Generator(8);
        GradCheck.CheckModule(new Conv2d(4, 4, (2, 2), (2, 1), (1, 0), (1, 2), groups: 2, generator: g, dtype: DType.Float64), Tensor.Randn([2, 4, 4, 5], g, DType.Float64));
        GradCheck.CheckModule(new Conv1d(2, 3, 3, padding: 1, generator: g, dtype: DType.Float64), Tensor.Randn([2, 2, 5], g, DType.Float64));
        GradCheck.Check(xs => Functional.MaxPool2d(xs[0], new Window2d(2, 2, 1, 1, 1, 1)), [Tensor.Randn([1, 2, 3, 3], g, DType.Float64)]);
        GradCheck.Check(xs => Functional.AvgPool2d(xs[0], new Window2d(2, 2, 2, 2)), [Tensor.Randn([1, 2, 4, 4], g, DType.Float64)]);
        GradCheck.Check(xs => Functional.AdaptiveAvgPool2d(xs[0], 2, 3), [Tensor.Randn([1, 1, 5, 5], g, DType.Float64)]);
        var bn = new BatchNorm1d(3);
        foreach (var p in bn.Parameters()) p.Value = Tensor.Randn(p.Shape, g, DType.Float64);
        GradCheck.CheckModule(bn, Tensor.Randn([4, 3], g, DType.Float64));
        var ln = new LayerNorm(4);
        foreach (var p in ln.Parameters()) p.Value = Tensor.Randn(p.Shape, g, DType.Float64);
        GradCheck.CheckModule(ln, Tensor.Randn([3, 4], g, DType.Float64));
        GradCheck.CheckModule(new LSTM(2, 3, generator: g, dtype: DType.Float64), Tensor.Randn([3, 2, 2], g, DType.Float64));
        GradCheck.CheckModule(new GRU(2, 3, generator: g, dtype: DType.Float64), Tensor.Randn([3, 2, 2], g, DType.Float64));
        GradCheck.CheckModule(new ResidualBlock(3, new Tanh(), zeroOutput: false, generator: g).To(DType.Float64), Tensor.Randn([2, 3], g, DType.Float64));
    }

    [Test]
    public void NatureDqnConvNetHasTheExpectedShapes()
    {
        var g = new Generator(0);
        var net = NatureCnn.Create(4, 6, g);
        Assert.That(net.Forward(Tensor.Zeros(2, 4, 84, 84)).Shape, Is.EqualTo(new[] { 2, 6 }));
        Assert.That(net.ParameterCount(), Is.EqualTo(1687206));
    }
}
