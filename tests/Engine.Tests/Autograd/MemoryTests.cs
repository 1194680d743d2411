using System.Runtime.CompilerServices;
using RlPlat.Engine;
using AD = RlPlat.Engine.Autograd;

namespace RlPlat.Engine.Tests.Gradients;

/// <summary>Saved tensors are released after backward, and a training loop does not grow the managed heap.</summary>
public class MemoryTests
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Tensor Loss, WeakReference Intermediate) BuildGraph(Tensor x)
    {
        // The intermediate is referenced only by the graph: Exp saves it (and its output) for backward.
        var intermediate = x.Mul(2);
        var loss = intermediate.Exp().Sum();
        return (loss, new WeakReference(intermediate));
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Test]
    public void BackwardReleasesSavedTensors()
    {
        var x = Tensor.Randn([16], new Generator(3), DType.Float64).RequiresGrad_();
        var (loss, intermediate) = BuildGraph(x);
        Collect();
        Assert.That(intermediate.IsAlive, Is.True, "before backward the graph holds it");
        loss.Backward();
        Collect();
        Assert.That(intermediate.IsAlive, Is.False, "after backward the released graph no longer holds it");
        Assert.That(loss.GradFn!.IsReleased, Is.True);
    }

    [Test]
    public void RetainGraphKeepsSavedTensorsUntilTheLastBackward()
    {
        var x = Tensor.Randn([16], new Generator(3), DType.Float64).RequiresGrad_();
        var (loss, intermediate) = BuildGraph(x);
        loss.Backward(retainGraph: true);
        Collect();
        Assert.That(intermediate.IsAlive, Is.True);
        loss.Backward();
        Collect();
        Assert.That(intermediate.IsAlive, Is.False);
    }

    [Test]
    public void TrainingLoopOfManyStepsDoesNotGrowTheHeap()
    {
        // A 2-16-1 tanh MLP learning y = x0·x1 with plain SGD; 10k steps, heap measured after full collections.
        var g = new Generator(11);
        var w1 = Tensor.Randn([2, 16], g).Mul(0.5).RequiresGrad_();
        var b1 = Tensor.Zeros(16).RequiresGrad_();
        var w2 = Tensor.Randn([16, 1], g).Mul(0.5).RequiresGrad_();
        var b2 = Tensor.Zeros(1).RequiresGrad_();
        Tensor[] parameters = [w1, b1, w2, b2];
        var x = Tensor.Rand([32, 2], g).Mul(2).Sub(1);
        var y = x.Select(1, 0).Mul(x.Select(1, 1)).Unsqueeze(1);

        double Step()
        {
            foreach (var p in parameters) p.Grad = null;
            var loss = x.MatMul(w1).Add(b1).Tanh().MatMul(w2).Add(b2).Sub(y).Square().Mean();
            loss.Backward();
            using (AD.NoGrad())
                foreach (var p in parameters) p.SubInPlace(p.Grad!.Mul(0.1));
            return loss.Item();
        }

        double first = 0;
        for (int i = 0; i < 500; i++) { double l = Step(); if (i == 0) first = l; }
        Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        double last = 0;
        for (int i = 0; i < 10_000; i++) last = Step();
        Collect();
        long after = GC.GetTotalMemory(forceFullCollection: true);

        // One leaked node per step would be > 1 MB over 10k steps; allow noise from the runtime itself.
        Assert.That(after - before, Is.LessThan(64 * 1024), $"heap grew from {before} to {after} bytes over 10k steps");
        Assert.That(last, Is.LessThan(first / 5), $"loss went from {first} to {last}");
    }
}
