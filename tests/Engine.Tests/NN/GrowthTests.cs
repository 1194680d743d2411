using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Engine.Tests.NN;

public class GrowthTests
{
    private static Tensor Inputs(int seed) => Tensor.Randn([32, 4], new Generator(seed)).Mul(3);

    private static void AssertSameFunction(Module net, Func<GrowthEvent> grow, string expectedShape)
    {
        var x = Inputs(11);
        var before = net.Forward(x).ToArray();
        var e = grow();
        Assert.That(e.Shape, Is.EqualTo(expectedShape));
        Assert.That(net.Forward(x).ToArray(), Is.EqualTo(before).Within(1e-4), $"output changed after {e}");
    }

    [TestCase("relu")]
    [TestCase("tanh")]
    [TestCase("leaky_relu")]
    public void WidenPreservesTheFunction(string act)
    {
        var net = new GrowableMlp([4, 8, 6, 2], act, new Generator(1));
        AssertSameFunction(net, () => net.Widen(0, 13), "4-13-6-2");
        AssertSameFunction(net, () => net.Widen(1, 20), "4-13-20-2");
        Assert.That(net.Sizes, Is.EqualTo(new[] { 4, 13, 20, 2 }));
    }

    [Test]
    public void DeepenWithIdentityPreservesAReluNetwork()
    {
        var net = new GrowableMlp([4, 8, 2], "relu", new Generator(2));
        AssertSameFunction(net, () => net.Deepen(0), "4-8-8-2");
        Assert.That(net.Blocks[1], Is.TypeOf<Linear>());
    }

    [TestCase("tanh")]
    [TestCase("gelu")]
    public void DeepenWithAResidualBlockPreservesAnyActivation(string act)
    {
        var net = new GrowableMlp([4, 8, 2], act, new Generator(3));
        AssertSameFunction(net, () => net.Deepen(0), "4-8-r8-2");
        // Widening through the residual block keeps the function too.
        AssertSameFunction(net, () => net.Widen(0, 12), "4-12-r12-2");
    }

    [Test]
    public void WidenRejectsShrinkingAndUnknownLayers()
    {
        var net = new GrowableMlp([4, 8, 2], "relu");
        Assert.That(Assert.Throws<ArgumentException>(() => net.Widen(0, 4))!.Message, Does.Contain("smaller than the current width 8"));
        Assert.That(Assert.Throws<ArgumentException>(() => net.Widen(1, 16))!.Message, Does.Contain("hidden layer 1 does not exist"));
    }

    [Test]
    public void AdamKeepsOldMomentsAndZeroesNewOnesAfterWidening()
    {
        var net = new GrowableMlp([4, 8, 2], "tanh", new Generator(4));
        var opt = new Adam(net, lr: 0.01);
        var x = Inputs(5);
        var y = x.Sum(1, keepDim: true).Repeat(1, 2);
        for (int i = 0; i < 3; i++)
        {
            opt.ZeroGrad();
            Functional.MseLoss(net.Forward(x), y).Backward();
            opt.Step();
        }
        var first = (Linear)net.Blocks[0];
        var m = opt.GetState(first.Weight)!.Buffers[0].ToArray();
        net.Widen(0, 10);
        opt.ZeroGrad();
        Functional.MseLoss(net.Forward(x), y).Backward();
        // Gradients here are those of the grown net; after the step the old rows' moments must be β1·m + (1-β1)·g.
        var g = first.Weight.Grad!.ToArray();
        opt.Step();
        var state = opt.GetState(first.Weight)!;
        Assert.That(state.Buffers[0].Shape, Is.EqualTo(new[] { 10, 4 }));
        var m2 = state.Buffers[0].ToArray();
        for (int i = 0; i < 8 * 4; i++) Assert.That(m2[i], Is.EqualTo(0.9f * m[i] + 0.1f * g[i]).Within(1e-6), $"old entry {i}");
        for (int i = 8 * 4; i < 10 * 4; i++) Assert.That(m2[i], Is.EqualTo(0.1f * g[i]).Within(1e-6), $"new entry {i}");
        Assert.That(state.Step, Is.EqualTo(4));
    }

    [Test]
    public void OptimizerDropsStateOfRemovedParametersAndSeesNewOnes()
    {
        var net = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
        var opt = new SGD(net, lr: 0.1, momentum: 0.9);
        net.Forward(Tensor.Ones(1, 2)).Sum().Backward();
        opt.Step();
        Assert.That(opt.StateCount, Is.EqualTo(4));
        net.RemoveAt(2);
        net.RemoveAt(1);
        net.Append(new Linear(3, 5));
        opt.ZeroGrad();
        net.Forward(Tensor.Ones(1, 2)).Sum().Backward();
        opt.Step();
        Assert.That(opt.StateCount, Is.EqualTo(4), "two old parameters dropped, two new ones added");
        Assert.That(opt.GetState(((Linear)net[1]).Weight)!.Step, Is.EqualTo(1));
    }

    [Test]
    public void TrainingContinuesAfterGrowth()
    {
        var g = new Generator(6);
        var net = new GrowableMlp([2, 4, 1], "tanh", g);
        var opt = new Adam(net, lr: 0.02);
        var x = Tensor.Randn([64, 2], g);
        var y = x.Select(1, 0).Mul(x.Select(1, 1)).Unsqueeze(1);
        var schedule = GrowthSchedule.Parse("100: widen(0, 16); 150: deepen(0); 200: widen(0, 32)");
        var log = new List<string>();
        double lossAtGrowth = 0, last = 0;
        for (int step = 0; step < 400; step++)
        {
            foreach (var e in schedule.Apply(net, step)) log.Add($"{step}: {e}");
            opt.ZeroGrad();
            var loss = Functional.MseLoss(net.Forward(x), y);
            loss.Backward();
            opt.Step();
            if (step == 100) lossAtGrowth = loss.Item();
            last = loss.Item();
        }
        Assert.That(log, Is.EqualTo(new[]
        {
            "100: widen layer 0: 4 -> 16 -> 2-16-1",
            "150: deepen after layer 0: residual block 16 -> 2-16-r16-1",
            "200: widen layer 0: 16 -> 32 -> 2-32-r32-1",
        }));
        Assert.That(last, Is.LessThan(lossAtGrowth * 0.5));
    }

    [Test]
    public void GrownStateDictLoadsIntoAFreshSmallNetwork()
    {
        var net = new GrowableMlp([4, 8, 2], "relu", new Generator(7));
        net.Widen(0, 12);
        net.Deepen(0, DeepenMode.Residual);
        var fresh = new GrowableMlp([4, 8, 2], "relu", new Generator(8));
        fresh.LoadStateDict(net.StateDict());
        Assert.That(fresh.Describe(), Is.EqualTo("4-12-r12-2"));
        var x = Inputs(9);
        Assert.That(fresh.Forward(x).ToArray(), Is.EqualTo(net.Forward(x).ToArray()));
    }

    [Test]
    public void GrowthScheduleParsesAndRejectsBadText()
    {
        var s = GrowthSchedule.Parse("500: deepen(1, identity)\n10: widen(0, 64)");
        Assert.That(s.Entries.Select(e => e.Step), Is.EqualTo(new long[] { 10, 500 }));
        Assert.That(s.Entries[1].Action, Is.EqualTo(new DeepenAction(1, DeepenMode.Identity)));
        Assert.That(Assert.Throws<ArgumentException>(() => GrowthSchedule.Parse("10: grow(1)"))!.Message, Does.Contain("wrong arguments in '10: grow(1)'"));
        Assert.That(Assert.Throws<ArgumentException>(() => GrowthSchedule.Parse("ten: widen(1, 2)"))!.Message, Does.Contain("cannot read"));
    }

    [Test]
    public void Net2WiderOnPlainLinearPairs()
    {
        var a = new Linear(3, 4, generator: new Generator(1));
        var b = new Linear(4, 2, generator: new Generator(2));
        var x = Tensor.Randn([5, 3], new Generator(3));
        var before = b.Forward(a.Forward(x).Sigmoid()).ToArray();
        var map = Net2Net.WidenMapping(4, 7, new Generator(4));
        Net2Net.Widen(a, b, map);
        Assert.That(b.Forward(a.Forward(x).Sigmoid()).ToArray(), Is.EqualTo(before).Within(1e-5));
        Assert.That(Assert.Throws<ArgumentException>(() => Net2Net.WidenOutputs(a, [1, 0, 2, 3, 4, 5, 6]))!.Message, Does.Contain("mapping[0] = 1"));
    }
}
