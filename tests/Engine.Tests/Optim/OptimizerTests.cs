using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Engine.Tests.Optim;

/// <summary>
/// Three steps with gradients g_t = g0·(t+1) + 0.1·w, compared with PyTorch 1.13's optimizers on the same float64
/// numbers (reference printed by torch and pasted here).
/// </summary>
public class OptimizerTests
{
    private static readonly double[] W0 = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6];
    private static readonly double[] G0 = [0.5, -1.0, 0.25, 2.0, -0.3, 0.05];

    private static double[] Run(Func<Parameter[], Optimizer> make, DType dtype = DType.Float64)
    {
        var p = new Parameter(Tensor.FromArray((double[])W0.Clone(), 2, 3).To(dtype));
        var opt = make([p]);
        for (int t = 0; t < 3; t++)
        {
            p.Grad = Tensor.FromArray((double[])G0.Clone(), 2, 3).Mul(t + 1).Add(p.Value.Detach().Mul(0.1)).To(dtype);
            opt.Step();
        }
        return p.Value.To(DType.Float64).ToArray<double>();
    }

    [Test]
    public void AdamWithL2MatchesPyTorch() =>
        Assert.That(Run(p => new Adam(p, lr: 0.01, weightDecay: 0.1)), Is.EqualTo(new[] { 0.070723218568, -0.170725254444, 0.270550949269, 0.370726271892, 0.5287605317, -0.578511035492 }).Within(1e-10));

    [Test]
    public void AdamFloat32MatchesPyTorchToFloatTolerance() =>
        Assert.That(Run(p => new Adam(p, lr: 0.01, weightDecay: 0.1), DType.Float32), Is.EqualTo(new[] { 0.070723218568, -0.170725254444, 0.270550949269, 0.370726271892, 0.5287605317, -0.578511035492 }).Within(1e-6));

    [Test]
    public void AmsgradMatchesPyTorch() =>
        Assert.That(Run(p => new Adam(p, lr: 0.01, amsgrad: true)), Is.EqualTo(new[] { 0.070745327927, -0.170746358877, 0.270649270198, 0.37074687422, 0.529031856125, -0.603275741556 }).Within(1e-10));

    [Test]
    public void AdamWMatchesPyTorch() =>
        Assert.That(Run(p => new AdamW(p, lr: 0.01, weightDecay: 0.1)), Is.EqualTo(new[] { 0.070475261002, -0.170176590993, 0.269779755389, 0.369577705708, 0.527503619534, -0.601495609058 }).Within(1e-10));

    [Test]
    public void PlainSgdMatchesPyTorch() =>
        Assert.That(Run(p => new SGD(p, lr: 0.1)), Is.EqualTo(new[] { -0.2009751, 0.4019502, 0.1420872, -0.8039004, 0.6639525, -0.6119799 }).Within(1e-10));

    [Test]
    public void SgdMomentumDampeningWeightDecayMatchesPyTorch() =>
        Assert.That(Run(p => new SGD(p, lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)), Is.EqualTo(new[] { -0.344533825311, 0.689067650622, 0.063230775317, -1.378135301244, 0.734235116245, -0.609067741184 }).Within(1e-10));

    [Test]
    public void SgdNesterovMatchesPyTorch() =>
        Assert.That(Run(p => new SGD(p, lr: 0.1, momentum: 0.9, nesterov: true)), Is.EqualTo(new[] { -0.6271359009, 1.2542718018, -0.0833444652, -2.5085436036, 0.8919821475, -0.6244588941 }).Within(1e-10));

    [Test]
    public void RmsPropMatchesPyTorch() =>
        Assert.That(Run(p => new RMSprop(p, lr: 0.01)), Is.EqualTo(new[] { -0.16924127754, 0.069399525317, 0.032664114091, 0.130522045742, 0.772290717099, -0.685238659855 }).Within(1e-10));

    [Test]
    public void CenteredRmsPropWithMomentumMatchesPyTorch() =>
        Assert.That(Run(p => new RMSprop(p, lr: 0.01, momentum: 0.9, centered: true, weightDecay: 0.1)), Is.EqualTo(new[] { -0.423123622548, 0.323799460859, -0.217261333437, -0.124129894687, 1.032502522875, -0.39803423457 }).Within(1e-10));

    [Test]
    public void AdagradMatchesPyTorch() =>
        Assert.That(Run(p => new Adagrad(p, lr: 0.1, lrDecay: 0.01, weightDecay: 0.1)), Is.EqualTo(new[] { -0.165886382323, 0.066206115543, 0.037789798428, 0.133636780004, 0.772364529079, -0.55698413666 }).Within(1e-10));

    [Test]
    public void StateDictRoundTripContinuesIdentically()
    {
        double[] Continue(bool reload)
        {
            var p = new Parameter(Tensor.FromArray((double[])W0.Clone(), 2, 3));
            var opt = new Adam([p], lr: 0.01);
            p.Grad = Tensor.FromArray((double[])G0.Clone(), 2, 3);
            opt.Step();
            if (reload)
            {
                var sd = opt.StateDict();
                opt = new Adam([p], lr: 0.5);
                opt.LoadStateDict(sd);
                Assert.That(opt.Lr, Is.EqualTo(0.01));
            }
            p.Grad = Tensor.FromArray((double[])G0.Clone(), 2, 3).Neg();
            opt.Step();
            return p.Value.ToArray<double>();
        }
        Assert.That(Continue(true), Is.EqualTo(Continue(false)));
    }

    [Test]
    public void LoadStateDictRejectsMisshapedState()
    {
        var p = new Parameter(Tensor.Zeros(2));
        var opt = new Adam([p]);
        p.Grad = Tensor.Ones(2);
        opt.Step();
        var sd = opt.StateDict();
        sd["state.0.exp_avg"] = Tensor.Zeros(3);
        Assert.That(Assert.Throws<ArgumentException>(() => opt.LoadStateDict(sd))!.Message, Does.Contain("state.0.exp_avg has shape [3]"));
        sd = opt.StateDict();
        sd["state.0.bogus"] = Tensor.Zeros(2);
        Assert.That(Assert.Throws<ArgumentException>(() => opt.LoadStateDict(sd))!.Message, Does.Contain("unexpected key state.0.bogus"));
    }

    [Test]
    public void AdamFirstStepMovesEachWeightByLr()
    {
        // With bias correction the first Adam step is lr·g/(|g| + eps) ≈ lr·sign(g).
        var p = new Parameter(Tensor.Zeros(3));
        var opt = new Adam([p], lr: 0.5);
        p.Grad = Tensor.FromArray(new float[] { 2, -0.001f, 0 }, 3);
        opt.Step();
        Assert.That(p.Value.ToArray(), Is.EqualTo(new[] { -0.5f, 0.5f, 0f }).Within(1e-4));
    }

    [Test]
    public void ParameterGroupsUseTheirOwnLearningRate()
    {
        var a = new Parameter(Tensor.Ones(2));
        var b = new Parameter(Tensor.Ones(2));
        var opt = new SGD([new ParamGroup([a]), new ParamGroup([b], lr: 0.5)], lr: 0.1);
        a.Grad = Tensor.Ones(2); b.Grad = Tensor.Ones(2);
        opt.Step();
        Assert.That(a.Value.ToArray(), Is.EqualTo(new[] { 0.9f, 0.9f }).Within(1e-7));
        Assert.That(b.Value.ToArray(), Is.EqualTo(new[] { 0.5f, 0.5f }).Within(1e-7));
    }

    [Test]
    public void AddParamGroupBringsNewParametersIntoTheNextStep()
    {
        var a = new Parameter(Tensor.Ones(1));
        var opt = new SGD([a], lr: 0.1);
        var head = new Linear(1, 1);
        opt.AddParamGroup(new ParamGroup(head, lr: 1.0));
        Assert.That(opt.ParamGroups[1].Lr, Is.EqualTo(1.0));
        var w = head.Weight.Value.ToArray()[0];
        head.Weight.Grad = Tensor.Ones(1, 1);
        opt.Step();
        Assert.That(head.Weight.Value.ToArray()[0], Is.EqualTo(w - 1f).Within(1e-6));
        Assert.Throws<ArgumentException>(() => opt.AddParamGroup(opt.ParamGroups[1]));
    }

    [Test]
    public void ZeroGradAndSkippingParametersWithoutGradients()
    {
        var net = new Linear(2, 1);
        var opt = new Adam(net, lr: 0.1);
        var before = net.Weight.Value.ToArray();
        net.Forward(Tensor.Ones(1, 2)).Sum().Backward();
        net.Bias!.Grad = null;
        var bias = net.Bias.Value.ToArray();
        opt.Step();
        Assert.That(net.Weight.Value.ToArray(), Is.Not.EqualTo(before));
        Assert.That(net.Bias.Value.ToArray(), Is.EqualTo(bias));
        opt.ZeroGrad();
        Assert.That(net.Weight.Grad, Is.Null);
    }

    [Test]
    public void TrainingAnMlpReducesTheLoss()
    {
        var g = new Generator(0);
        var net = Mlp.Create([2, 16, 1], "tanh", generator: g);
        var opt = new Adam(net, lr: 0.05);
        var x = Tensor.Randn([64, 2], g);
        var y = x.Select(1, 0).Mul(x.Select(1, 1)).Unsqueeze(1);
        double first = 0, last = 0;
        for (int i = 0; i < 200; i++)
        {
            opt.ZeroGrad();
            var loss = Functional.MseLoss(net.Forward(x), y);
            loss.Backward();
            opt.Step();
            if (i == 0) first = loss.Item();
            last = loss.Item();
        }
        Assert.That(last, Is.LessThan(first * 0.1));
    }

    [Test]
    public void ClipGradNormMatchesPyTorch()
    {
        var a = new Parameter(Tensor.Zeros(2, 2)) { Grad = Tensor.From(new float[,] { { 3, 4 }, { 0, 1 } }) };
        var b = new Parameter(Tensor.Zeros(3)) { Grad = Tensor.FromArray(new float[] { 1, -2, 2 }, 3) };
        double norm = GradClipping.ClipGradNorm([a, b], 1.0);
        Assert.That(norm, Is.EqualTo(5.916079998016357).Within(1e-6));
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 0.5070924758911133, 0.6761232614517212, 0.0, 0.1690308153629303 }).Within(1e-6));
        Assert.That(b.Grad!.ToArray(), Is.EqualTo(new[] { 0.1690308153629303, -0.3380616307258606, 0.3380616307258606 }).Within(1e-6));
        // Below the threshold nothing changes.
        Assert.That(GradClipping.ClipGradNorm([b], 10.0), Is.EqualTo(0.5070925).Within(1e-6));
        Assert.That(b.Grad!.ToArray()[1], Is.EqualTo(-0.3380616307258606).Within(1e-6));
    }

    [Test]
    public void ClipGradValueClampsEachElement()
    {
        var a = new Parameter(Tensor.Zeros(3)) { Grad = Tensor.FromArray(new float[] { -5, 0.2f, 3 }, 3) };
        GradClipping.ClipGradValue([a], 1);
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { -1f, 0.2f, 1f }));
    }

    [Test]
    public void BadHyperparametersAreNamed()
    {
        var p = new Parameter(Tensor.Zeros(1));
        Assert.That(Assert.Throws<ArgumentException>(() => new Adam([p], lr: -1))!.Message, Does.Contain("-1"));
        Assert.That(Assert.Throws<ArgumentException>(() => new SGD([p], nesterov: true))!.Message, Does.Contain("Nesterov"));
    }

    [Test]
    public void AdamGivesTheSameBitsInVectorLanesAndInTheScalarTail()
    {
        // 37 equal elements with equal gradients: 32 go through vector lanes, the rest through the scalar loop;
        // the update is the same sequence of IEEE operations either way, so every element must end bit-identical.
        var p = new Parameter(Tensor.Full([37], 0.3));
        var adam = new Adam([p], lr: 1e-2, weightDecay: 0.01);
        for (int step = 1; step <= 5; step++)
        {
            p.Grad = Tensor.Full([37], 0.1 * step - 0.25);
            adam.Step();
        }
        float[] values = p.Value.ToArray();
        Assert.That(values[0], Is.Not.EqualTo(0.3f));
        Assert.That(values, Is.All.EqualTo(values[36]));
    }
}
