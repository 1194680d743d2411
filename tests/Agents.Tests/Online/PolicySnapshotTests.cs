using RlPlat.Agents.Online;
using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Agents.Tests.Online;

public class PolicySnapshotTests
{
    private static void AssertSameFunction(GrowableMlp net, int inputs, int seed)
    {
        var snapshot = PolicySnapshot.Capture(net, 0);
        var g = new Generator(seed);
        var x = new float[inputs];
        var y = new float[snapshot.OutputSize];
        for (int trial = 0; trial < 5; trial++)
        {
            for (int i = 0; i < inputs; i++) x[i] = (float)g.NextNormal();
            float[] expected;
            using (Autograd.NoGrad()) expected = net.Forward(Tensor.FromArray((float[])x.Clone(), 1, inputs)).ToArray<float>();
            snapshot.Forward(x, y);
            for (int o = 0; o < y.Length; o++) Assert.That(y[o], Is.EqualTo(expected[o]).Within(1e-5), $"output {o} of {snapshot.Shape}");
        }
    }

    [TestCase("relu")]
    [TestCase("tanh")]
    [TestCase("silu")]
    public void SnapshotComputesTheNetworksFunctionBeforeAndAfterGrowth(string activation)
    {
        var net = new GrowableMlp([6, 8, 8, 3], activation, new Generator(1));
        AssertSameFunction(net, 6, 2);
        net.Widen(0, 12);
        net.Deepen(1);
        // A residual block with non-zero outer weights exercises the x + outer(act(inner(x))) path.
        net.Deepen(0, DeepenMode.Residual);
        foreach (var b in net.Blocks)
            if (b is ResidualBlock r) using (Autograd.NoGrad()) r.Outer.Weight.Value.AddInPlace(0.1);
        AssertSameFunction(net, 6, 3);
        Assert.That(PolicySnapshot.Capture(net, 7).Shape, Is.EqualTo(net.Describe()));
    }

    [Test]
    public void UnsupportedActivationAndWrongSizesAreRejected()
    {
        Assert.That(() => PolicySnapshot.Capture(new GrowableMlp([2, 4, 1], "gelu"), 0), Throws.ArgumentException.With.Message.Contains("gelu"));
        var s = PolicySnapshot.Capture(new GrowableMlp([2, 4, 1], "relu"), 0);
        Assert.That(() => s.Forward(new float[3], new float[1]), Throws.ArgumentException.With.Message.Contains("got 3 inputs"));
    }
}
