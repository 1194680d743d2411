using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Engine.Tests.NN;

public class ModuleTests
{
    private sealed class TwoLayer : Module
    {
        public readonly Linear A, B;
        public TwoLayer()
        {
            A = RegisterModule("a", new Linear(3, 4, generator: new Generator(1)))!;
            B = RegisterModule("b", new Linear(4, 2, generator: new Generator(2)))!;
            RegisterBuffer("count", Tensor.Zeros(1));
        }
        public override Tensor Forward(Tensor x) => B.Forward(A.Forward(x).Relu());
    }

    [Test]
    public void NamedParametersFollowRegistrationOrderWithDottedPaths()
    {
        var m = new TwoLayer();
        var names = m.NamedParameters().Select(p => p.Name).ToArray();
        Assert.That(names, Is.EqualTo(new[] { "a.weight", "a.bias", "b.weight", "b.bias" }));
        Assert.That(m.ParameterCount(), Is.EqualTo(3 * 4 + 4 + 4 * 2 + 2));
        Assert.That(m.NamedModules().Select(x => x.Name), Is.EqualTo(new[] { "", "a", "b" }));
        Assert.That(m.NamedBuffers().Single().Name, Is.EqualTo("count"));
        Assert.That(m.Parameters(recurse: false), Is.Empty);
    }

    [Test]
    public void SharedParameterIsListedOnce()
    {
        var lin = new Linear(2, 2);
        var seq = new Sequential(lin, new ReLU(), lin);
        Assert.That(seq.Parameters().Count(), Is.EqualTo(2));
    }

    [Test]
    public void TrainEvalPropagatesToDescendants()
    {
        var m = new TwoLayer();
        m.Eval();
        Assert.That(m.Modules().All(x => !x.Training), Is.True);
        m.Train();
        Assert.That(m.A.Training && m.B.Training, Is.True);
    }

    [Test]
    public void ZeroGradClearsEveryGradient()
    {
        var m = new TwoLayer();
        m.Forward(Tensor.Ones(5, 3)).Sum().Backward();
        Assert.That(m.Parameters().All(p => p.Grad != null), Is.True);
        m.ZeroGrad();
        Assert.That(m.Parameters().All(p => p.Grad == null), Is.True);
    }

    [Test]
    public void LinearComputesXWTransposePlusBias()
    {
        var lin = new Linear(2, 3);
        using (Autograd.NoGrad())
        {
            lin.Weight.Value.CopyInPlace(Tensor.From(new float[,] { { 1, 2 }, { 3, 4 }, { -1, 0.5f } }));
            lin.Bias!.Value.CopyInPlace(Tensor.FromArray(new float[] { 0.1f, 0.2f, 0.3f }, 3));
        }
        var y = lin.Forward(Tensor.From(new float[,] { { 1, -1 }, { 2, 0.5f } }));
        Assert.That(y.ToArray(), Is.EqualTo(new[] { -1 + 0.1f, -1 + 0.2f, -1.5f + 0.3f, 3 + 0.1f, 8 + 0.2f, -1.75f + 0.3f }).Within(1e-6));
    }

    [Test]
    public void LinearDefaultInitIsUniformWithinOneOverSqrtFanIn()
    {
        var lin = new Linear(100, 50, generator: new Generator(7));
        var w = lin.Weight.Value.ToArray();
        double bound = 1 / Math.Sqrt(100);
        Assert.That(w.Max(), Is.LessThanOrEqualTo(bound));
        Assert.That(w.Min(), Is.GreaterThanOrEqualTo(-bound));
        // Uniform(-b, b) has variance b²/3.
        double var = w.Select(v => (double)v * v).Average();
        Assert.That(var, Is.EqualTo(bound * bound / 3).Within(0.1 * bound * bound / 3));
        var again = new Linear(100, 50, generator: new Generator(7));
        Assert.That(again.Weight.Value.ToArray(), Is.EqualTo(w), "same seed, same init");
    }

    [Test]
    public void LinearRejectsWrongInputWidth()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Linear(3, 2).Forward(Tensor.Zeros(4, 5)));
        Assert.That(ex!.Message, Does.Contain("[4,5]").And.Contain("end in 3"));
    }

    [Test]
    public void LinearGradcheck()
    {
        var lin = new Linear(3, 2, dtype: DType.Float64, generator: new Generator(3));
        GradCheck.CheckModule(lin, Tensor.Randn([4, 3], new Generator(4), DType.Float64));
    }

    [Test]
    public void LinearOnBatchedSequencesGradcheck()
    {
        var lin = new Linear(3, 2, dtype: DType.Float64, generator: new Generator(3));
        GradCheck.CheckModule(lin, Tensor.Randn([2, 4, 3], new Generator(4), DType.Float64));
    }

    [Test]
    public void FusedLinearSecondDerivativesMatchTheComposedOps()
    {
        // A gradient penalty: d/dW of |d(sum y²)/dx|², through the fused node and through MatMul + Add.
        Tensor[] Penalty(bool fused)
        {
            var g = new Generator(5);
            var x = Tensor.Randn([4, 3], g, DType.Float64).RequiresGrad_();
            var w = Tensor.Randn([2, 3], g, DType.Float64).RequiresGrad_();
            var b = Tensor.Randn([2], g, DType.Float64).RequiresGrad_();
            var y = fused ? Functional.Linear(x, w, b) : x.MatMul(w.T).Add(b);
            var gx = Autograd.Grad([y.Square().Sum()], [x], createGraph: true)[0]!;
            gx.Square().Sum().Backward();
            return [w.Grad!, b.Grad!];
        }
        var f = Penalty(true);
        var c = Penalty(false);
        Assert.That(f[0].ToArray<double>(), Is.EqualTo(c[0].ToArray<double>()).Within(1e-12));
        Assert.That(f[1].ToArray<double>(), Is.EqualTo(c[1].ToArray<double>()).Within(1e-12));
        Assert.That(f[0].Abs().Sum().Item(), Is.GreaterThan(0));
    }

    [Test]
    public void MlpBuildsLinearsWithActivationsBetween()
    {
        var mlp = Mlp.Create([4, 64, 64, 2], "tanh", generator: new Generator(0));
        Assert.That(mlp.Count, Is.EqualTo(5));
        Assert.That(mlp[1], Is.TypeOf<Tanh>());
        Assert.That(mlp[3], Is.TypeOf<Tanh>());
        Assert.That(mlp.ParameterCount(), Is.EqualTo(4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2));
        var y = mlp.Forward(Tensor.Zeros(7, 4));
        Assert.That(y.Shape, Is.EqualTo(new[] { 7, 2 }));
        // A zero input gives tanh(b1) -> tanh(W2·tanh(b1) + b2) -> W3·h + b3.
        var l1 = (Linear)mlp[0]; var l2 = (Linear)mlp[2]; var l3 = (Linear)mlp[4];
        var h = l1.Bias!.Value.Tanh();
        h = l2.Weight.Value.MatMul(h).Add(l2.Bias!.Value).Tanh();
        var expected = l3.Weight.Value.MatMul(h).Add(l3.Bias!.Value);
        Assert.That(y[0].ToArray(), Is.EqualTo(expected.ToArray()).Within(1e-5));
    }

    [Test]
    public void ActivationsComputeTheirFunctions()
    {
        var x = Tensor.FromArray(new float[] { -2, 0.5f }, 2);
        Assert.That(new ReLU().Forward(x).ToArray(), Is.EqualTo(new[] { 0f, 0.5f }));
        Assert.That(new Tanh().Forward(x).ToArray(), Is.EqualTo(new[] { (float)Math.Tanh(-2), (float)Math.Tanh(0.5) }).Within(1e-6));
        Assert.That(new Sigmoid().Forward(x).ToArray(), Is.EqualTo(new[] { 1 / (1 + (float)Math.Exp(2)), 1 / (1 + (float)Math.Exp(-0.5)) }).Within(1e-6));
        Assert.That(new LeakyReLU(0.1).Forward(x).ToArray(), Is.EqualTo(new[] { -0.2f, 0.5f }).Within(1e-6));
        Assert.That(new ELU().Forward(x).ToArray(), Is.EqualTo(new[] { (float)Math.Exp(-2) - 1, 0.5f }).Within(1e-6));
        Assert.That(new Identity().Forward(x).ToArray(), Is.EqualTo(x.ToArray()));
        Assert.That(Activation.Create("ReLU"), Is.TypeOf<ReLU>());
        Assert.Throws<ArgumentException>(() => Activation.Create("nope"));
    }

    [Test]
    public void StateDictRoundTripsIntoAFreshModule()
    {
        var a = new TwoLayer();
        var b = new TwoLayer();
        using (Autograd.NoGrad()) b.A.Weight.Value.FillInPlace(9);
        b.LoadStateDict(a.StateDict());
        var x = Tensor.Randn([3, 3], new Generator(5));
        Assert.That(b.Forward(x).ToArray(), Is.EqualTo(a.Forward(x).ToArray()));
        Assert.That(a.StateDict().Keys, Is.EqualTo(new[] { "a.weight", "a.bias", "b.weight", "b.bias", "count" }));
    }

    [Test]
    public void LoadStateDictNamesMissingUnexpectedAndMisshapedKeysAndWritesNothing()
    {
        var m = new TwoLayer();
        var before = m.A.Weight.Value.ToArray();
        var sd = new TwoLayer().StateDict();
        sd.Remove("b.bias");
        sd["extra"] = Tensor.Zeros(1);
        sd["a.weight"] = Tensor.Zeros(5, 3);
        var ex = Assert.Throws<ArgumentException>(() => m.LoadStateDict(sd));
        Assert.That(ex!.Message, Does.Contain("missing keys [b.bias]").And.Contain("unexpected keys [extra]").And.Contain("a.weight: checkpoint [5,3] vs module [4,3]"));
        Assert.That(m.A.Weight.Value.ToArray(), Is.EqualTo(before));
        sd.Remove("extra"); sd["a.weight"] = Tensor.Ones(4, 3);
        m.LoadStateDict(sd, strict: false);
        Assert.That(m.A.Weight.Value.ToArray(), Is.All.EqualTo(1f));
    }

    [Test]
    public void ModuleListInsertAndRemoveRenumber()
    {
        var list = new Sequential(new Linear(2, 2), new ReLU());
        list.Insert(0, new Tanh());
        Assert.That(list.NamedChildren().Select(c => c.Name), Is.EqualTo(new[] { "0", "1", "2" }));
        Assert.That(list.NamedParameters().Select(p => p.Name), Is.EqualTo(new[] { "1.weight", "1.bias" }));
        list.RemoveAt(0);
        Assert.That(list.NamedParameters().Select(p => p.Name), Is.EqualTo(new[] { "0.weight", "0.bias" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = list[5]);
    }

    [Test]
    public void ModuleDictRegistersByName()
    {
        var d = new ModuleDict { ["actor"] = new Linear(2, 3), ["critic"] = new Linear(2, 1) };
        Assert.That(d.NamedParameters().Select(p => p.Name), Is.EqualTo(new[] { "actor.weight", "actor.bias", "critic.weight", "critic.bias" }));
        d.RemoveModule("actor");
        Assert.That(d.Parameters().Count(), Is.EqualTo(2));
        Assert.Throws<KeyNotFoundException>(() => _ = d["actor"]);
    }

    [Test]
    public void ToCpuIsANoOpAndCudaWithoutAGpuIsRefused()
    {
        var m = new Linear(1, 1);
        var w = m.Weight.Value;
        Assert.That(m.To(Device.Cpu), Is.SameAs(m));
        Assert.That(m.Weight.Value, Is.SameAs(w));
        Assume.That(Device.CudaDeviceCount, Is.EqualTo(0), "this machine has a CUDA GPU");
        Assert.That(Assert.Throws<InvalidOperationException>(() => m.To(Device.Cuda(0)))!.Message, Does.Contain("no CUDA GPU"));
    }

    [Test]
    public void ParameterRejectsNonLeafAndIntegerTensors()
    {
        var x = Tensor.Ones(2).RequiresGrad_();
        Assert.Throws<ArgumentException>(() => new Parameter(x.Mul(2)));
        Assert.Throws<ArgumentException>(() => new Parameter(Tensor.Zeros(DType.Int64, 2)));
    }
}
