using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Engine.Tests.GpuBackend;

/// <summary>Autograd, optimizers and conv2d on the device give the CPU's numbers.</summary>
[TestFixture]
public class GpuTrainingTests
{
    private static (Sequential Net, Tensor X, Tensor Y) Problem(int seed)
    {
        var g = new Generator(seed);
        var net = Mlp.Create([4, 16, 16, 2], "tanh", generator: g);
        var x = Tensor.Randn([8, 4], g);
        var y = Tensor.Randn([8, 2], g);
        return (net, x, y);
    }

    private static float[] Train(Device device, Func<Module, Optimizer> makeOpt, int steps, List<double> losses)
    {
        var (net, x, y) = Problem(5);
        net.To(device);
        var opt = makeOpt(net);
        var dx = x.To(device);
        var dy = y.To(device);
        for (int s = 0; s < steps; s++)
        {
            opt.ZeroGrad();
            var loss = Functional.MseLoss(net.Forward(dx), dy);
            loss.Backward();
            opt.Step();
            losses.Add(loss.Item());
        }
        net.To(Device.Cpu);
        var all = new List<float>();
        foreach (var p in net.Parameters()) all.AddRange(p.Value.ToArray());
        return all.ToArray();
    }

    [TestCase("adam")]
    [TestCase("adamw")]
    [TestCase("sgd")]
    public void AnMlpTrainsToTheSameWeightsOnTheDeviceAsOnTheCpu(string optimizer)
    {
        Func<Module, Optimizer> make = optimizer switch
        {
            "adam" => m => new Adam(m, lr: 1e-2),
            "adamw" => m => new AdamW(m, lr: 1e-2, weightDecay: 0.1, amsgrad: true),
            _ => m => new SGD(m, lr: 0.05, momentum: 0.9, nesterov: true),
        };
        var cpuLoss = new List<double>();
        var gpuLoss = new List<double>();
        var cpu = Train(Device.Cpu, make, 4, cpuLoss);
        var gpu = Train(GpuAssert.Dev, make, 4, gpuLoss);
        Assert.That(gpuLoss, Is.EqualTo(cpuLoss).Within(1e-5));
        Assert.That(gpuLoss[^1], Is.LessThan(gpuLoss[0]), "the loss goes down");
        Assert.That(gpu, Is.EqualTo(cpu).Within(1e-5));
    }

    [Test]
    public void GradientsOfSoftmaxCrossEntropyAndGatherMatchTheCpu()
    {
        var g = new Generator(9);
        var logits = Tensor.Randn([5, 3], g);
        var target = Tensor.FromArray(new long[] { 0, 2, 1, 1, 0 }, 5);
        var cpu = logits.Clone().RequiresGrad_();
        Functional.CrossEntropy(cpu, target).Backward();
        var dev = logits.To(GpuAssert.Dev).RequiresGrad_();
        var loss = Functional.CrossEntropy(dev, target.To(GpuAssert.Dev));
        loss.Backward();
        GpuAssert.Close(dev.Grad!, cpu.Grad!, 1e-6, "dlogits");
    }

    [Test]
    public void Conv2dForwardAndBackwardMatchTheCpu()
    {
        var g = new Generator(2);
        var conv = new Conv2d(2, 3, (3, 3), (2, 1), (1, 1), (1, 1), generator: g);
        var x = Tensor.Randn([2, 2, 5, 6], g);
        var cx = x.Clone().RequiresGrad_();
        var cy = conv.Forward(cx);
        cy.Square().Sum().Backward();
        var cw = conv.Weight.Grad!.Clone();
        conv.ZeroGrad();
        conv.To(GpuAssert.Dev);
        var gx = x.To(GpuAssert.Dev).RequiresGrad_();
        var gy = conv.Forward(gx);
        gy.Square().Sum().Backward();
        GpuAssert.Close(gy, cy.Detach(), 1e-5, "conv2d output");
        GpuAssert.Close(gx.Grad!, cx.Grad!, 1e-4, "dx (col2im)");
        GpuAssert.Close(conv.Weight.Grad!, cw, 1e-4, "dW");
    }

    [TestCase(2.0)]
    [TestCase(double.PositiveInfinity)]
    public void ClipGradNormOfDeviceGradientsMatchesTheCpu(double normType)
    {
        var g = new Generator(6);
        var cpu = new Linear(5, 3, generator: g);
        var dev = new Linear(5, 3, generator: new Generator(6));
        cpu.Weight.Grad = Tensor.Randn([3, 5], g).Mul(4);
        cpu.Bias!.Grad = Tensor.Randn([3], g);
        dev.Weight.Grad = cpu.Weight.Grad.Clone();
        dev.Bias!.Grad = cpu.Bias.Grad.Clone();
        dev.To(GpuAssert.Dev);
        double expected = GradClipping.ClipGradNorm(cpu, 1.0, normType);
        double actual = GradClipping.ClipGradNorm(dev, 1.0, normType);
        Assert.That(actual, Is.EqualTo(expected).Within(1e-5 * expected));
        GpuAssert.Close(dev.Weight.Grad!, cpu.Weight.Grad!, 1e-6, "clipped grad");
    }
}
