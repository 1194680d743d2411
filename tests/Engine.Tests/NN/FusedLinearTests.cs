using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Engine.Tests.NN;

/// <summary>
/// The fused linear layer (product, bias and activation in one node; dW and db added straight into <c>.Grad</c>):
/// the same values and gradients as the composed ops, finite-difference gradients, the autograd semantics that direct
/// accumulation must keep (accumulation across backward calls, Grad() captures, hooks, second order), Sequential's
/// fusion and no-grad workspace, and the allocation of a steady-state training step.
/// </summary>
public class FusedLinearTests
{
    private static readonly LinearActivation[] Activations = [LinearActivation.None, LinearActivation.Relu, LinearActivation.Tanh, LinearActivation.Sigmoid];

    private static Tensor Composed(Tensor x, Tensor w, Tensor b, LinearActivation activation)
    {
        var z = x.MatMul(w.MT).Add(b);
        return activation switch
        {
            LinearActivation.Relu => z.Relu(),
            LinearActivation.Tanh => z.Tanh(),
            LinearActivation.Sigmoid => z.Sigmoid(),
            _ => z,
        };
    }

    private static (Tensor X, Tensor W, Tensor B, Tensor G) Operands(DType dtype, int batch = 7, int inputs = 5, int outputs = 3)
    {
        var g = new Generator(11);
        return (Tensor.Randn([batch, inputs], g, dtype).RequiresGrad_(), Tensor.Randn([outputs, inputs], g, dtype).RequiresGrad_(),
            Tensor.Randn([outputs], g, dtype).RequiresGrad_(), Tensor.Randn([batch, outputs], g, dtype));
    }

    [TestCaseSource(nameof(Activations))]
    public void FusedValuesAndGradientsEqualTheComposedOps(LinearActivation activation)
    {
        var (x, w, b, g) = Operands(DType.Float32);
        var fused = Functional.Linear(x, w, b, activation);
        fused.Backward(g);
        float[] dx = x.Grad!.ToArray(), dw = w.Grad!.ToArray(), db = b.Grad!.ToArray();
        x.Grad = w.Grad = b.Grad = null;
        var composed = Composed(x, w, b, activation);
        composed.Backward(g);
        Assert.That(fused.GradFn!.Name, Is.EqualTo(activation == LinearActivation.None ? "Linear" : $"Linear+{activation}"));
        Assert.That(fused.ToArray(), Is.EqualTo(composed.ToArray()).Within(1e-6));
        Assert.That(dx, Is.EqualTo(x.Grad!.ToArray()).Within(1e-5));
        Assert.That(dw, Is.EqualTo(w.Grad!.ToArray()).Within(1e-5));
        Assert.That(db, Is.EqualTo(b.Grad!.ToArray()).Within(1e-5));
    }

    [Test]
    public void AnUnknownActivationIsAnErrorNamingTheKnownOnes()
    {
        var (x, w, b, _) = Operands(DType.Float32);
        var e = Assert.Throws<ArgumentException>(() => Functional.Linear(x, w, b, (LinearActivation)7))!;
        Assert.That(e.Message, Does.Contain("7").And.Contain("Relu").And.Contain("Sigmoid"));
    }

    [TestCaseSource(nameof(Activations))]
    public void FusedGradientsPassFiniteDifferenceChecks(LinearActivation activation)
    {
        var (x, w, b, _) = Operands(DType.Float64);
        // Backward() into .Grad: the direct-accumulation path.
        GradCheck.Check(xs => Functional.Linear(xs[0], xs[1], xs[2], activation), [x, w, b]);
        // Grad() captures: the path that leaves .Grad alone.
        Assert.That(Autograd.GradCheck(xs => Functional.Linear(xs[0], xs[1], xs[2], activation), [x, w, b]), Is.True);
    }

    [TestCase(LinearActivation.Tanh)]
    [TestCase(LinearActivation.Sigmoid)]
    public void FusedSecondDerivativesPassGradGradCheck(LinearActivation activation)
    {
        var (x, w, b, _) = Operands(DType.Float64, batch: 3, inputs: 2, outputs: 2);
        Assert.That(Autograd.GradGradCheck(xs => Functional.Linear(xs[0], xs[1], xs[2], activation), [x, w, b]), Is.True);
    }

    [Test]
    public void GradientsOfAStridedOutputGradientEqualTheComposedOps()
    {
        // Mean's backward hands the layer a broadcast (stride 0) gradient: the products must read it through its strides.
        var (x, w, b, _) = Operands(DType.Float32, outputs: 1);
        Functional.Linear(x, w, b).Mean().Backward();
        float[] dw = w.Grad!.ToArray(), db = b.Grad!.ToArray();
        w.Grad = b.Grad = null;
        x.MatMul(w.MT).Add(b).Mean().Backward();
        Assert.That(dw, Is.EqualTo(w.Grad!.ToArray()).Within(1e-6));
        Assert.That(db[0], Is.EqualTo(b.Grad!.ToArray()[0]).Within(1e-6));
        Assert.That(db[0], Is.EqualTo(1f).Within(1e-6), "d mean / d bias of a [7, 1] output is 1");
    }

    [Test]
    public void GradientsAccumulateAcrossBackwardCallsAndZeroGradKeepsTheBuffers()
    {
        var (x, w, b, g) = Operands(DType.Float32);
        Functional.Linear(x, w, b, LinearActivation.Tanh).Backward(g);
        var gradW = w.Grad!;
        float[] once = gradW.ToArray();
        Functional.Linear(x, w, b, LinearActivation.Tanh).Backward(g);
        Assert.That(w.Grad, Is.SameAs(gradW), "the second backward adds into the same buffer");
        Assert.That(w.Grad!.ToArray(), Is.EqualTo(Array.ConvertAll(once, v => 2 * v)));

        var layer = new Linear(5, 3, generator: new Generator(1));
        var adam = new Adam(layer);
        layer.Forward(x.Detach(), LinearActivation.Relu).Sum().Backward();
        var buffer = layer.Weight.Grad!;
        float[] first = buffer.ToArray();
        adam.ZeroGrad(setToNone: false);
        Assert.That(layer.Weight.Grad, Is.SameAs(buffer));
        Assert.That(buffer.ToArray(), Is.All.EqualTo(0f));
        layer.Forward(x.Detach(), LinearActivation.Relu).Sum().Backward();
        Assert.That(layer.Weight.Grad, Is.SameAs(buffer));
        Assert.That(buffer.ToArray(), Is.EqualTo(first));
        adam.ZeroGrad();
        Assert.That(layer.Weight.Grad, Is.Null, "the default still sets gradients to none");
    }

    [Test]
    public void GradCapturesLeaveGradAloneAndHooksStillSeeTheGradient()
    {
        var (x, w, b, g) = Operands(DType.Float32);
        var captured = Autograd.Grad([Functional.Linear(x, w, b, LinearActivation.Relu)], [w], [g])[0]!;
        Assert.That(w.Grad, Is.Null);
        Assert.That(b.Grad, Is.Null);

        w.RegisterHook(grad => grad.Mul(2.0));
        Functional.Linear(x, w, b, LinearActivation.Relu).Backward(g);
        Assert.That(w.Grad!.ToArray(), Is.EqualTo(captured.Mul(2.0).ToArray()).Within(1e-6));
    }

    [Test]
    public void SequentialFusesLinearWithItsActivationAndMatchesTheLayersRunOneByOne()
    {
        var net = new Sequential(new Linear(4, 6, generator: new Generator(2)), new ReLU(), new Linear(6, 5, generator: new Generator(3)), new Tanh(),
            new Linear(5, 2, generator: new Generator(4)), new Sigmoid());
        var x = Tensor.Randn([9, 4], new Generator(5));
        var fused = net.Forward(x);
        Assert.That(fused.GradFn!.Name, Is.EqualTo("Linear+Sigmoid"));
        fused.Sum().Backward();
        var grads = new List<float[]>();
        foreach (var p in net.Parameters()) { grads.Add(p.Grad!.ToArray()); p.Grad = null; }

        // Module by module: Linear (no activation) then the activation module as its own op.
        var y = x;
        foreach (var m in net.Items) y = m.Forward(y);
        Assert.That(y.GradFn!.Name, Is.EqualTo("Sigmoid"));
        y.Sum().Backward();
        Assert.That(fused.ToArray(), Is.EqualTo(y.ToArray()), "same kernels in the same order: the same bits");
        int i = 0;
        foreach (var p in net.Parameters()) Assert.That(p.Grad!.ToArray(), Is.EqualTo(grads[i++]));
    }

    [Test]
    public void RecycledIntermediatesGiveTheSameGradientsStepAfterStepAndWithRetainGraph()
    {
        // Two forwards of one stack in one graph, three steps in a row: the intermediates and their gradients come from
        // recycled buffers from the second step on, and must give the gradients of the layers run one by one.
        var net = Mlp.Create([3, 16, 16, 2], "tanh", generator: new Generator(9));
        var head = new Linear(2, 1, generator: new Generator(10));
        var adam = new Adam(net);
        var x1 = Tensor.Randn([5, 3], new Generator(11));
        var x2 = Tensor.Randn([5, 3], new Generator(12));
        Tensor OneByOne(Tensor x)
        {
            foreach (var m in net.Items) x = m.Forward(x);
            return head.Forward(x);
        }
        for (int step = 0; step < 3; step++)
        {
            adam.ZeroGrad(setToNone: false);
            head.ZeroGrad();
            net.Forward(x1, head).Square().Sum().Add(net.Forward(x2, head).Sum()).Backward();
            var fused = new List<float[]>();
            foreach (var p in net.Parameters()) fused.Add(p.Grad!.ToArray());
            adam.ZeroGrad(setToNone: false);
            head.ZeroGrad();
            OneByOne(x1).Square().Sum().Add(OneByOne(x2).Sum()).Backward();
            int i = 0;
            foreach (var p in net.Parameters()) Assert.That(fused[i++], Is.EqualTo(p.Grad!.ToArray()), $"step {step}");
            adam.Step();
        }

        // retainGraph keeps the buffers for the second pass; that pass then recycles them.
        adam.ZeroGrad();
        var y = net.Forward(x1).Sum();
        y.Backward(retainGraph: true);
        var once = net.Items[0].Parameters().First().Grad!.ToArray();
        y.Backward();
        Assert.That(net.Items[0].Parameters().First().Grad!.ToArray(), Is.EqualTo(Array.ConvertAll(once, v => 2 * v)));
    }

    [Test]
    public void AForwardWithoutBackwardAndTwoThreadsTrainingAtOnceLeaveTheGradientsExact()
    {
        // PPO's KL stop drops a recorded graph without a backward; learners train on their own threads. Neither may
        // let a recycled buffer reach a tensor still in use.
        static float[] Gradients(int seed, bool dropAGraphFirst)
        {
            var net = Mlp.Create([4, 32, 32, 3], "relu", generator: new Generator(seed));
            var x = Tensor.Randn([16, 4], new Generator(seed + 100));
            for (int step = 0; step < 3; step++)
            {
                if (dropAGraphFirst) net.Forward(x).Sum();
                net.ZeroGrad(setToNone: false);
                net.Forward(x).Square().Sum().Backward();
            }
            return net.Items[0].Parameters().First().Grad!.ToArray();
        }
        var expected = new[] { Gradients(1, false), Gradients(2, false) };
        Assert.That(Gradients(1, true), Is.EqualTo(expected[0]));
        var results = new float[2][];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            for (int repeat = 0; repeat < 20; repeat++) results[i] = Gradients(i + 1, repeat % 2 == 0);
        });
        Assert.That(results[0], Is.EqualTo(expected[0]));
        Assert.That(results[1], Is.EqualTo(expected[1]));
    }

    [Test]
    public void NoGradSequentialOutputsAreFreshTensorsWhileIntermediatesUseTheWorkspace()
    {
        var net = Mlp.Create([3, 8, 8, 2], "relu", generator: new Generator(6));
        var x1 = Tensor.Randn([4, 3], new Generator(7));
        var x2 = Tensor.Randn([4, 3], new Generator(8));
        var expected1 = net.Forward(x1).Detach().ToArray();
        var expected2 = net.Forward(x2).Detach().ToArray();
        using (Autograd.NoGrad())
        {
            var y1 = net.Forward(x1);
            var y2 = net.Forward(x2);
            Assert.That(y1.SharesStorageWith(y2), Is.False);
            Assert.That(y1.ToArray(), Is.EqualTo(expected1), "a later forward does not overwrite an earlier output");
            Assert.That(y2.ToArray(), Is.EqualTo(expected2));
        }
    }

    [Test]
    public void ASteadyStateDqnTrainingStepAllocatesLittle()
    {
        // DQN's CartPole step (rl-zoo: 256-256 ReLU Q-network, batch 64): target forward, online forward, Huber loss,
        // backward, clipping, Adam. Before fusion and in-place gradients this allocated about 850 KB per step.
        var g = new Generator(0);
        var q = Mlp.Create([4, 256, 256, 2], "relu", generator: g);
        var target = Mlp.Create([4, 256, 256, 2], "relu", generator: g);
        var adam = new Adam(q, lr: 1e-3);
        var obs = Tensor.Randn([64, 4], g);
        var nextObs = Tensor.Randn([64, 4], g);
        var actions = Tensor.FromArray(new long[64], 64, 1);
        var rewards = Tensor.Ones(64);
        void Step()
        {
            Tensor y;
            using (Autograd.NoGrad()) y = rewards.Add(target.Forward(nextObs).Amax([-1]).Mul(0.99));
            var loss = Functional.HuberLoss(q.Forward(obs).Gather(1, actions).Squeeze(-1), y);
            adam.ZeroGrad(setToNone: false);
            loss.Backward();
            GradClipping.ClipGradNorm(q, 10);
            adam.Step();
        }
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int steps = 10;
        for (int i = 0; i < steps; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        TestContext.Out.WriteLine($"{perStep} bytes per step");
        Assert.That(perStep, Is.LessThan(AllocationBound));
    }

    /// <summary>Bytes a steady-state DQN step may allocate: less than one [64, 256] float buffer (small tensors, nodes, closures).</summary>
    private const long AllocationBound = 64_000;
}
