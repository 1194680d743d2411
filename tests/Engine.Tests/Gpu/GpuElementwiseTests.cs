using RlPlat.Engine;

namespace RlPlat.Engine.Tests.GpuBackend;

/// <summary>Elementwise kernels on the ILGPU CPU accelerator against the CPU backend.</summary>
[TestFixture]
public class GpuElementwiseTests
{
    private static Tensor Data(params int[] shape)
    {
        var g = new Generator(7);
        return Tensor.Randn(shape, g).Mul(2);
    }

    private static readonly (string Name, Func<Tensor, Tensor> Op)[] Unary =
    [
        ("Neg", x => x.Neg()), ("Abs", x => x.Abs()), ("Square", x => x.Square()), ("Sign", x => x.Sign()), ("Relu", x => x.Relu()),
        ("Exp", x => x.Exp()), ("Log", x => x.Abs().Add(0.1).Log()), ("Log1p", x => x.Abs().Log1p()), ("Expm1", x => x.Expm1()),
        ("Sqrt", x => x.Abs().Sqrt()), ("Rsqrt", x => x.Abs().Add(0.5).Rsqrt()), ("Floor", x => x.Floor()), ("Round", x => x.Mul(2).Round()),
        ("Trunc", x => x.Trunc()), ("Sin", x => x.Sin()), ("Cos", x => x.Cos()), ("Tanh", x => x.Tanh()), ("Atan", x => x.Atan()),
        ("Asinh", x => x.Asinh()), ("Sigmoid", x => x.Sigmoid()), ("Softplus", x => x.Softplus()), ("Silu", x => x.Silu()),
        ("Gelu", x => x.Gelu()), ("Erf", x => x.Erf()),
    ];

    [Test]
    public void UnaryOpsMatchTheCpu()
    {
        var x = Data(3, 5);
        var gx = x.To(GpuAssert.Dev);
        foreach (var (name, op) in Unary) GpuAssert.Close(op(gx), op(x), 2e-5, name);
    }

    [Test]
    public void BinaryOpsBroadcastLikeTheCpu()
    {
        var a = Data(2, 3, 4);
        var b = Data(3, 1).Add(3);
        var ga = a.To(GpuAssert.Dev);
        var gb = b.To(GpuAssert.Dev);
        GpuAssert.Close(ga.Add(gb), a.Add(b), 1e-6, "Add");
        GpuAssert.Close(ga.Sub(gb), a.Sub(b), 1e-6, "Sub");
        GpuAssert.Close(ga.Mul(gb), a.Mul(b), 1e-6, "Mul");
        GpuAssert.Close(ga.Div(gb), a.Div(b), 1e-6, "Div");
        GpuAssert.Close(ga.Maximum(gb), a.Maximum(b), 0, "Maximum");
        GpuAssert.Close(ga.Remainder(gb), a.Remainder(b), 1e-5, "Remainder");
        GpuAssert.Close(ga.Abs().Pow(gb), a.Abs().Pow(b), 1e-5, "Pow");
        GpuAssert.Close(ga.Gt(gb), a.Gt(b), 0, "Gt");
        GpuAssert.Close(ga.Eq(ga), a.Eq(a), 0, "Eq");
    }

    [Test]
    public void ScalarsAndCpuScalarTensorsMeetDeviceTensors()
    {
        var a = Data(4, 3);
        var ga = a.To(GpuAssert.Dev);
        GpuAssert.Close(ga.Add(2.5), a.Add(2.5), 1e-6, "Add scalar");
        GpuAssert.Close(1.0 - ga, 1.0 - a, 1e-6, "scalar - x");
        GpuAssert.Close(ga.Mul(Tensor.Scalar(3)), a.Mul(Tensor.Scalar(3)), 1e-6, "x * cpu 0-d");
        GpuAssert.Close(ga.Clamp(-1, 1), a.Clamp(-1, 1), 0, "Clamp");
        GpuAssert.Close(Tensor.Where(ga.Gt(0), ga, 0.0), Tensor.Where(a.Gt(0), a, 0.0), 0, "Where");
    }

    [Test]
    public void ViewsCopiesAndConversionsRunOnTheDevice()
    {
        var a = Data(3, 4);
        var ga = a.To(GpuAssert.Dev);
        GpuAssert.Close(ga.T.Contiguous(), a.T.Contiguous(), 0, "transpose");
        GpuAssert.Close(ga.Narrow(1, 1, 2).Mul(2), a.Narrow(1, 1, 2).Mul(2), 1e-6, "narrow view");
        GpuAssert.Close(ga.To(DType.Int32), a.To(DType.Int32), 0, "to int32");
        GpuAssert.Close(ga.Gt(0).To(DType.Float32), a.Gt(0).To(DType.Float32), 0, "bool to float");
        GpuAssert.Close(ga.To(DType.Int64).Add(ga.To(DType.Int64)), a.To(DType.Int64).Add(a.To(DType.Int64)), 0, "int64 add");
        var z = Tensor.ZerosLike(ga);
        Assert.That(z.Device, Is.EqualTo(GpuAssert.Dev));
        GpuAssert.Close(Tensor.OnesLike(ga), Tensor.OnesLike(a), 0, "OnesLike");
        var c = ga.Clone();
        c.AddInPlace(ga).MulInPlace(0.5);
        GpuAssert.Close(c, a, 1e-6, "in place");
        c.CopyInPlace(a.Neg());
        GpuAssert.Close(c, a.Neg(), 0, "CopyInPlace from the host");
    }
}
