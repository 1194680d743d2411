using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.Tests.Kernels;

[NonParallelizable] // changes the process-wide thread settings
public class ParallelismTests
{
    private int savedMin, savedThreads;

    [SetUp]
    public void SaveSettings() => (savedMin, savedThreads) = (Parallelism.MinElementsPerTask, Parallelism.MaxThreads);

    [TearDown]
    public void RestoreSettings()
    {
        Parallelism.MinElementsPerTask = savedMin;
        Parallelism.MaxThreads = savedThreads;
    }

    [TestCase(1_000_003, 2, 2)]  // one contiguous chunk per thread
    [TestCase(1 << 20, 4, 4)]
    [TestCase(100, 3, 3)]        // a short last chunk after 16-aligned ones
    [TestCase(33, 2, 2)]
    [TestCase(20, 4, 2)]         // 16-aligned chunks: fewer than the threads
    [TestCase(0, 2, 0)]
    public void ForCoversEveryIndexExactlyOnceInAlignedPieces(int count, int tasks, int pieces)
    {
        var hits = new int[count];
        int calls = 0;
        Parallelism.For(count, tasks, (start, len) =>
        {
            Interlocked.Increment(ref calls);
            Assert.That(start % 16, Is.EqualTo(0), "pieces start 16-aligned");
            Assert.That(len, Is.GreaterThan(0));
            for (int i = start; i < start + len; i++) Interlocked.Increment(ref hits[i]);
        });
        Assert.That(hits.All(h => h == 1), Is.True);
        Assert.That(calls, Is.EqualTo(pieces));
    }

    [Test]
    public void ForEachTaskRunsEachTaskIndexOnce()
    {
        var seen = new int[5];
        for (int round = 0; round < 200; round++)
            Parallelism.ForEachTask(5, t => Interlocked.Increment(ref seen[t]));
        Assert.That(seen, Is.EqualTo(new[] { 200, 200, 200, 200, 200 }));
    }

    [Test]
    public void AFailingPieceSurfacesAsAggregateExceptionAndTheTeamKeepsWorking()
    {
        var e = Assert.Throws<AggregateException>(() =>
            Parallelism.ForEachTask(4, t => { if (t == 2) throw new InvalidOperationException("piece 2 failed"); }));
        Assert.That(e!.InnerExceptions.Single().Message, Is.EqualTo("piece 2 failed"));

        long sum = 0;
        Parallelism.For(10_000, 2, (start, len) => { for (int i = start; i < start + len; i++) Interlocked.Add(ref sum, i); });
        Assert.That(sum, Is.EqualTo(10_000L * 9_999 / 2));
    }

    [Test]
    public void NestedAndConcurrentCallsGiveCompleteResults()
    {
        // A kernel body that calls a parallel kernel, run from four threads at once: the team takes one call at a time
        // and the others go to the thread pool; every element must still be written exactly once.
        const int outer = 8, inner = 4096;
        var results = new long[4];
        var threads = Enumerable.Range(0, 4).Select(k => new Thread(() =>
        {
            var hits = new int[outer * inner];
            for (int round = 0; round < 20; round++)
                Parallelism.ForEachTask(outer, o =>
                    Parallelism.For(inner, 2, (start, len) => { for (int i = start; i < start + len; i++) hits[o * inner + i]++; }));
            results[k] = hits.Sum(h => (long)h);
            Assert.That(hits.All(h => h == 20), Is.True);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.That(results, Is.EqualTo(Enumerable.Repeat(20L * outer * inner, 4)));
    }

    [Test]
    public void TaskCountWeighsTheOpsCostPerElement()
    {
        Parallelism.MaxThreads = 2;
        Parallelism.MinElementsPerTask = 128 * 1024;
        Assert.That(Parallelism.TaskCount(200_000, ElementCost.Streaming), Is.EqualTo(1), "an add of 200K elements stays inline");
        Assert.That(Parallelism.TaskCount(256 * 1024, ElementCost.Streaming), Is.EqualTo(2));
        Assert.That(Parallelism.TaskCount(2_000_000), Is.EqualTo(1), "a kernel of unmeasured cost stays inline below 2M");
        Assert.That(Parallelism.TaskCount(2 << 20), Is.EqualTo(2));
        Assert.That(Parallelism.TaskCount(64 * 1024, ElementCost.Compute), Is.EqualTo(2), "exp splits from 64K elements");
        Assert.That(Parallelism.TaskCount(32 * 1024, ElementCost.Compute), Is.EqualTo(1));
        Assert.That(Parallelism.TaskCount(1L << 30, ElementCost.Compute), Is.EqualTo(2), "never more than MaxThreads");
        Parallelism.MaxThreads = 1;
        Assert.That(Parallelism.TaskCount(1L << 30, ElementCost.Compute), Is.EqualTo(1));
    }

    [Test]
    public void TheOpCostsRankTranscendentalsAboveStreamingOps()
    {
        Assert.That(Cost<ExpOp>(), Is.EqualTo(ElementCost.Compute));
        Assert.That(Cost<TanhOp>(), Is.EqualTo(ElementCost.Compute));
        Assert.That(Cost<SqrtOp>(), Is.EqualTo(ElementCost.Streaming));
        Assert.That(BinaryCost<AddOp>(), Is.EqualTo(ElementCost.Streaming));
        Assert.That(BinaryCost<FmodOp>(), Is.EqualTo(ElementCost.Compute));

        static int Cost<T>() where T : IFloatUnaryOp => T.Cost;
        static int BinaryCost<T>() where T : INumericBinaryOp => T.Cost;
    }

    private static IEnumerable<TestCaseData> Ops()
    {
        // Contiguous, offset and broadcast operands; each op family (numeric, float unary, float binary, compare, copy).
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, b) => a + b)).SetName("Add");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, b) => a * b - b)).SetName("MulSub");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, _) => a * 3 + 1)).SetName("Scalars");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, b) => a + b.Narrow(0, 5, 1))).SetName("BroadcastOne");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, _) => a.Exp())).SetName("Exp");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, _) => a.Tanh())).SetName("Tanh");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, _) => a.Sigmoid())).SetName("Sigmoid");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, _) => a.Sqrt())).SetName("Sqrt");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, b) => a.Pow(b))).SetName("Pow");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, b) => a.Gt(b).To(DType.Float32))).SetName("Gt");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, b) => a.Clone().AddInPlace(b))).SetName("AddInPlace");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, b) => a.Narrow(0, 17, 300_000) + b.Narrow(0, 0, 300_000))).SetName("Offsets");
        yield return new TestCaseData((Func<Tensor, Tensor, Tensor>)((a, _) => a.Clone())).SetName("Clone");
    }

    [TestCaseSource(nameof(Ops))]
    public void ASplitElementwiseOpIsBitwiseEqualToSerial(Func<Tensor, Tensor, Tensor> op)
    {
        var g = new Generator(7);
        var a = Tensor.Rand([300_017], g);
        var b = Tensor.Rand([300_017], g);
        Parallelism.MaxThreads = 1;
        var serial = op(a, b).ToArray<float>();
        Parallelism.MaxThreads = 3;
        Parallelism.MinElementsPerTask = 16 * 1024; // several threads and pieces, with a ragged last piece
        Assert.That(Parallelism.TaskCount(300_017, ElementCost.Streaming), Is.EqualTo(3));
        for (int round = 0; round < 3; round++)
        {
            var split = op(a, b).ToArray<float>();
            Assert.That(Bits(split).SequenceEqual(Bits(serial)), Is.True, $"round {round}: results differ from the serial run");
        }

        static ReadOnlySpan<int> Bits(float[] v) => System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(v.AsSpan());
    }

    [TestCase(1)]
    [TestCase(2)]
    public void InPlaceOpsBeyondTheCacheSizedRowsMatchOutOfPlace(int threads)
    {
        // Above 2M elements an out-of-place row goes to TensorPrimitives in one call (streaming stores); in place it is
        // cut into cache-sized chunks instead. Both must give the same bits.
        const int n = 2 * 1024 * 1024 + 1001;
        var g = new Generator(11);
        var a = Tensor.Rand([n], g);
        var b = Tensor.Rand([n], g);
        Parallelism.MaxThreads = threads;
        var sum = a + b;
        var scaled = a * 3;
        var root = a.Sqrt();
        var x = a.Clone().AddInPlace(b);
        var y = a.Clone().MulInPlace(3);
        var z = a.Clone().SqrtInPlace();
        var w = b.Clone();
        a.Add(w, w); // into an operand
        Assert.That(x.ToArray<float>(), Is.EqualTo(sum.ToArray<float>()));
        Assert.That(y.ToArray<float>(), Is.EqualTo(scaled.ToArray<float>()));
        Assert.That(z.ToArray<float>(), Is.EqualTo(root.ToArray<float>()));
        Assert.That(w.ToArray<float>(), Is.EqualTo(sum.ToArray<float>()));
        Assert.That(x.GetValue(n - 1), Is.EqualTo(a.GetValue(n - 1) + b.GetValue(n - 1)).Within(1e-6));
    }
}
