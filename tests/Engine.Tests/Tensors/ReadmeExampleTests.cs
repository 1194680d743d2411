using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Tensors;

/// <summary>The README's tensor example, kept compiling and checked.</summary>
public class ReadmeExampleTests
{
    [Test]
    public void TheReadmeExampleComputesAPolicyDistribution()
    {
        var obs = new float[] { 0.1f, -0.2f, 0.3f, 0.05f };
        var x = Tensor.FromArray(obs, 1, 4);
        var w = Tensor.Randn([4, 2], new Generator(42));
        var logits = x.MatMul(w) + 0.5f;
        var probs = logits.Softmax(-1);
        var (top, idx) = probs.TopK(1);
        Span<float> raw = probs.AsSpan();
        Assert.That(probs.Shape, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(raw[0] + raw[1], Is.EqualTo(1f).Within(1e-6));
        Assert.That(top.Item<float>(), Is.EqualTo(Math.Max(raw[0], raw[1])));
        Assert.That(idx.Item<long>(), Is.EqualTo(raw[0] >= raw[1] ? 0 : 1));
        Assert.That(probs.ToString(), Does.StartWith("tensor([[").And.EndWith("shape=[1,2], dtype=float32)"));
    }
}
