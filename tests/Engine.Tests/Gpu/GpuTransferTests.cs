using RlPlat.Engine;

namespace RlPlat.Engine.Tests.GpuBackend;

/// <summary>Host ↔ device round trips and device placement on ILGPU's CPU accelerator.</summary>
[TestFixture]
public class GpuTransferTests
{
    private static readonly Device Dev = Device.IlgpuCpu;

    [Test]
    public void RoundTripKeepsValuesShapeAndDtypeForEveryDtype()
    {
        var f = Tensor.FromArray(new float[] { 1.5f, -2, 3, 4, 5, 6 }, 2, 3);
        var g = f.To(Dev);
        Assert.That(g.Device, Is.EqualTo(Dev));
        Assert.That(g.IsOnGpu, Is.True);
        Assert.That(g.Shape, Is.EqualTo(new[] { 2, 3 }));
        var back = g.To(Device.Cpu);
        Assert.That(back.Device, Is.EqualTo(Device.Cpu));
        Assert.That(back.ToArray(), Is.EqualTo(new float[] { 1.5f, -2, 3, 4, 5, 6 }));
        foreach (var dt in new[] { DType.Float64, DType.Int32, DType.Int64, DType.Bool, DType.UInt8 })
        {
            var t = f.To(dt);
            var r = t.To(Dev).To(Device.Cpu);
            Assert.That(r.DType, Is.EqualTo(dt));
            Assert.That(r.To(DType.Float64).ToArray<double>(), Is.EqualTo(t.To(DType.Float64).ToArray<double>()), dt.Name());
        }
    }

    [Test]
    public void DeviceTensorsPrintWithTheirDevice()
    {
        var g = Tensor.FromArray(new float[] { 1, 2 }, 2).To(Dev);
        Assert.That(g.ToString(), Is.EqualTo("tensor([1., 2.], shape=[2], dtype=float32, device=ilgpu-cpu)"));
    }

    [Test]
    public void ModuleToMovesParametersAndGradientsAndBack()
    {
        var m = new RlPlat.Engine.NN.Linear(3, 2, generator: new Generator(1));
        var w = m.Weight.Value.ToArray();
        m.Weight.Grad = Tensor.Ones(2, 3);
        m.To(Dev);
        Assert.That(m.Weight.Value.Device, Is.EqualTo(Dev));
        Assert.That(m.Bias!.Value.Device, Is.EqualTo(Dev));
        Assert.That(m.Weight.Grad!.Device, Is.EqualTo(Dev));
        Assert.That(m.Weight.RequiresGrad, Is.True);
        m.To(Device.Cpu);
        Assert.That(m.Weight.Value.ToArray(), Is.EqualTo(w));
        Assert.That(m.Weight.Grad!.ToArray(), Is.EqualTo(Enumerable.Repeat(1f, 6)));
    }
}
