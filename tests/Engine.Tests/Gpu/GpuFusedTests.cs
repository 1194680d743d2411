using RlPlat.Engine;
using RlPlat.Engine.Backends.Gpu.Fusion;
using RlPlat.Engine.Lazy.Fusion;

namespace RlPlat.Engine.Tests.GpuBackend;

/// <summary>Fused elementwise expressions compiled to ILGPU kernels give the CPU fused kernels' results.</summary>
[TestFixture]
public class GpuFusedTests
{
    [Test]
    public void AFusedExpressionWithSharedSubexpressionsAndBroadcastMatchesTheCpuLauncher()
    {
        // t = In0 * C0 + Bc1; y = select(t > 0, tanh(t), t * t) - sigmoid(In2): t is shared (let-bound).
        var t = ExprNode.Apply("Add", ExprNode.Apply("Mul", ExprNode.Input(0), ExprNode.Constant(0)), ExprNode.Broadcast(1));
        var root = ExprNode.Apply("Sub",
            ExprNode.Apply("Select", ExprNode.Apply("Gt", t, ExprNode.Constant(1)), ExprNode.Apply("Tanh", t), ExprNode.Apply("Square", t)),
            ExprNode.Apply("Sigmoid", ExprNode.Input(2)));
        var g = new Generator(1);
        var a = Tensor.Randn([37], g);
        var b = Tensor.FromArray(new float[] { 0.25f }, 1);
        var c = Tensor.Randn([37], g);
        var constants = new float[] { 1.5f, 0f };
        var expected = new float[37];
        FusedLauncher.Map(root, [a.ToArray(), b.ToArray(), c.ToArray()], [0, 0, 0], constants, expected, 0, 37);
        var y = GpuFused.Map(root, [a.To(GpuAssert.Dev), b.To(GpuAssert.Dev), c.To(GpuAssert.Dev)], constants, [37]);
        GpuAssert.Close(y, Tensor.FromArray(expected, 37), 1e-6, "fused map");
        var sum = GpuFused.Sum(root, [a.To(GpuAssert.Dev), b.To(GpuAssert.Dev), c.To(GpuAssert.Dev)], constants, 37);
        Assert.That(sum.Item(), Is.EqualTo(FusedLauncher.Sum(root, [a.ToArray(), b.ToArray(), c.ToArray()], [0, 0, 0], constants, 37)).Within(1e-4));
    }
}
