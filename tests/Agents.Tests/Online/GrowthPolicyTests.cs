using RlPlat.Agents.Online;
using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Agents.Tests.Online;

public class GrowthPolicyTests
{
    [Test]
    public void StepsTriggerFiresAtEveryCheckAndGrowsWithinTheLimits()
    {
        var policy = new GrowthPolicy(new GrowthOptions { EverySteps = 100, AddUnits = 8, AddLayers = 1, MaxUnits = 20, MaxLayers = 3 });
        var net = new GrowableMlp([4, 8, 2], "relu", new Generator(0));
        Assert.That(policy.ShouldGrow(99, 0), Is.False);
        Assert.That(policy.ShouldGrow(100, 0), Is.True);
        Assert.That(policy.ShouldGrow(150, 0), Is.False);
        Assert.That(policy.ShouldGrow(200, 0), Is.True);

        var first = policy.Grow(net);
        Assert.That(first.ConvertAll(e => e.Shape), Is.EqualTo(new[] { "4-16-2", "4-16-16-2" }));
        var second = policy.Grow(net);
        // The new layer copies the width of the layer it follows (an identity layer for ReLU).
        Assert.That(second.ConvertAll(e => e.Shape), Is.EqualTo(new[] { "4-20-16-2", "4-20-20-2", "4-20-20-20-2" }));
        Assert.That(policy.CanGrow(net), Is.False, "every layer at max_units and max_layers reached");
        Assert.That(policy.Grow(net), Is.Empty);
        Assert.That(policy.Growths, Is.EqualTo(2));
    }

    [Test]
    public void PlateauTriggerWaitsForPatienceChecksWithoutImprovement()
    {
        var policy = new GrowthPolicy(new GrowthOptions { Trigger = GrowthTrigger.Plateau, EverySteps = 10, Patience = 2, MinImprovement = 0.01 });
        Assert.That(policy.ShouldGrow(10, 1.0), Is.False, "first signal sets the best");
        Assert.That(policy.ShouldGrow(20, 2.0), Is.False, "improved");
        Assert.That(policy.ShouldGrow(30, 2.001), Is.False, "below min improvement: stale 1");
        Assert.That(policy.ShouldGrow(40, 1.5), Is.True, "stale 2 = patience");
        Assert.That(policy.ShouldGrow(50, 1.5), Is.False, "the count starts over after a growth");
        Assert.That(policy.ShouldGrow(60, double.NaN), Is.False, "no signal yet");
    }

    [Test]
    public void TanhNetworksDeepenWithResidualBlocksAndCountThemAgainstMaxLayers()
    {
        var policy = new GrowthPolicy(new GrowthOptions { AddUnits = 0, AddLayers = 1, MaxLayers = 2 });
        var net = new GrowableMlp([3, 5, 1], "tanh", new Generator(0));
        var x = Tensor.FromArray(new float[] { 0.3f, -1f, 2f }, 1, 3);
        float before;
        using (Autograd.NoGrad()) before = net.Forward(x).Item<float>();
        Assert.That(policy.Grow(net)[0].Shape, Is.EqualTo("3-5-r5-1"));
        Assert.That(policy.CanGrow(net), Is.False);
        using (Autograd.NoGrad()) Assert.That(net.Forward(x).Item<float>(), Is.EqualTo(before).Within(1e-6));
    }

    [Test]
    public void OptionsNamingTheBadValue()
    {
        Assert.That(() => new GrowthPolicy(new GrowthOptions { AddUnits = 0, AddLayers = 0 }), Throws.ArgumentException.With.Message.Contains("both 0"));
        Assert.That(() => new GrowthPolicy(new GrowthOptions { EverySteps = 0 }), Throws.ArgumentException.With.Message.Contains("every_steps"));
    }
}
