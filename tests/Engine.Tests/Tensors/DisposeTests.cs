using RlPlat.Engine;
using RlPlat.Engine.Lazy;

namespace RlPlat.Engine.Tests.Tensors;

// Tensor.Dispose: deterministic release of a tensor's memory. Each test uses its own odd length (pooled sizes start at
// 85,000 bytes) so that arrays other tests leave in the pool never answer its allocations.
[NonParallelizable] // the storage pool is process-wide
public class DisposeTests
{
    private static Tensor Seq(int n) => Tensor.Arange(n);

    [Test]
    public void DisposedResultArrayAnswersTheNextAllocationOfItsSize()
    {
        const int n = 100_103;
        var a = Seq(n);
        var b = Tensor.Full([n], 0.5);
        var c = a + b;
        var array = c.Storage.Data;
        long reused = StoragePool.Reused;
        c.Dispose();
        var d = a + b;
        Assert.That(d.Storage.Data, Is.SameAs(array), "the disposed array comes straight back, no collection needed");
        Assert.That(StoragePool.Reused, Is.EqualTo(reused + 1));
        Assert.That(d.GetValue(0), Is.EqualTo(0.5));
        Assert.That(d.GetValue(n - 1), Is.EqualTo(n - 1 + 0.5));
    }

    [Test]
    public void ADisposedTensorThrowsWhenRead()
    {
        const int n = 100_109;
        var c = Seq(n) * 2;
        c.Dispose();
        Assert.That(c.IsDisposed, Is.True);
        Assert.That(c.Storage.IsReleased, Is.True);
        var e = Assert.Throws<ObjectDisposedException>(() => c.ToArray<float>())!;
        Assert.That(e.Message, Does.Contain("Tensor.Dispose"));
        Assert.Throws<ObjectDisposedException>(() => _ = c + 1);
        Assert.Throws<ObjectDisposedException>(() => c.AddInPlace(1));
        Assert.DoesNotThrow(c.Dispose, "Dispose is idempotent");
        Assert.That(c.ToString(), Is.EqualTo("tensor(<disposed>, shape=[100109], dtype=float32)"), "ToString (debuggers, logs) does not throw");
    }

    [Test]
    public void DisposingReleasesTheStorageItsViewsShare()
    {
        const int n = 100_117;
        var a = Seq(n);
        var c = a * 3;
        var view = c.Slice(0, 1, n, 2);
        var array = c.Storage.Data;
        Assert.That(view.GetValue(1), Is.EqualTo(9.0));
        view.Dispose();
        Assert.That(c.IsDisposed, Is.True, "a view's storage is its base's");
        Assert.Throws<ObjectDisposedException>(() => c.GetValue(0));
        Assert.Throws<ObjectDisposedException>(() => c.Reshape(1, n).Sum());
        var next = a * 3;
        Assert.That(next.Storage.Data, Is.SameAs(array));
        Assert.That(next.GetValue(n - 1), Is.EqualTo(3.0 * (n - 1)));
    }

    [Test]
    public void AnArrayReturnedByDisposeIsPooledOnceEvenAfterItsNextOwnerDies()
    {
        // Return suppresses the recycler's finalizer; without that, the next hand-out would arm it twice and the array
        // would come back twice from one death, answering two live tensors.
        const int n = 100_133;
        var a = Seq(n);
        var c = a + 1;
        c.Dispose();
        DropSum(a);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var x = a + 2;
        var y = a + 3;
        Assert.That(x.Storage.Data, Is.Not.SameAs(y.Storage.Data));
        Assert.That(x.GetValue(5), Is.EqualTo(7.0));
        Assert.That(y.GetValue(5), Is.EqualTo(8.0));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void DropSum(Tensor a) => _ = (a + 1).Sum();

    [Test]
    public void ALoopThatDisposesItsResultsInducesNoCollections()
    {
        // 300 results of 4 MB: without Dispose the pool induces a full collection every 64 MB handed out (about 18 here).
        const int n = 1_000_003;
        var a = Seq(n);
        var b = Tensor.Full([n], 2);
        int before = GC.CollectionCount(2);
        double last = 0;
        for (int i = 0; i < 300; i++)
        {
            using var c = a * b;
            last = c.GetValue(n - 1);
        }
        Assert.That(GC.CollectionCount(2) - before, Is.LessThanOrEqualTo(1));
        Assert.That(last, Is.EqualTo(2.0 * (n - 1)));
    }

    [Test]
    public void UserArraysAreLeftAloneByDispose()
    {
        var user = new float[30_001];
        user[7] = 42;
        var t = Tensor.FromArray(user);
        long pooled = StoragePool.PooledBytes;
        t.Dispose();
        Assert.That(StoragePool.PooledBytes, Is.EqualTo(pooled), "an array the user owns never enters the pool");
        Assert.That(user[7], Is.EqualTo(42f));
        Assert.Throws<ObjectDisposedException>(() => t.Sum());
    }

    [Test]
    public void SmallTensorsReleaseTooButAreNotPooled()
    {
        var t = Tensor.Ones(64);
        long pooled = StoragePool.PooledBytes;
        t.Dispose();
        Assert.That(StoragePool.PooledBytes, Is.EqualTo(pooled));
        Assert.Throws<ObjectDisposedException>(() => t.ToArray<float>());
    }

    [Test]
    public void BackwardAfterDisposingASavedTensorSaysSo()
    {
        var x = Tensor.Rand([3000]).RequiresGrad_();
        var h = x.Exp(); // exp saves its result for backward
        var loss = h.Sum();
        h.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => loss.Backward())!;
        Assert.That(e.Message, Does.Contain("disposed"));
        Assert.That(e.Message, Does.Contain("Backward"));
    }

    [Test]
    public void DisposingAfterBackwardIsFine()
    {
        var x = Tensor.FromArray(new[] { 0f, 1f, 2f }).RequiresGrad_();
        using (var h = x.Exp())
        {
            h.Sum().Backward();
        }
        Assert.That(x.Grad!.ToArray<float>(), Is.EqualTo(new[] { 1f, MathF.Exp(1), MathF.Exp(2) }).Within(1e-6f));
    }

    [Test]
    public void APendingLazyOpWhoseInputWasDisposedThrowsInsteadOfReadingRecycledMemory()
    {
        const int n = 100_151;
        var a = Seq(n) + 0; // a pooled, realized tensor
        Tensor y;
        using (LazyMode.Scope()) y = a * 2; // pending: captured a's array
        a.Dispose();
        _ = Seq(n) + 5; // would reuse a's array
        var e = Assert.Throws<ObjectDisposedException>(() => y.ToArray<float>())!;
        Assert.That(e.Message, Does.Contain("lazy"));
    }

    [Test]
    public void DisposingAPendingLazyIntermediateLeavesItsConsumerCorrect()
    {
        const int n = 100_153;
        var a = Seq(n) + 0;
        Tensor x, y;
        using (LazyMode.Scope())
        {
            x = a * 2;     // pending
            y = x + 1;     // pending, reads x's node, not x's memory
        }
        x.Dispose();
        Assert.That(y.GetValue(10), Is.EqualTo(21.0));
        Assert.That(y.GetValue(n - 1), Is.EqualTo(2.0 * (n - 1) + 1));
        Assert.Throws<ObjectDisposedException>(() => x.ToArray<float>());
    }

    [Test]
    public void TwoThreadsDisposingOneStorageReturnItOnce()
    {
        const int n = 100_169;
        var a = Seq(n);
        for (int round = 0; round < 50; round++)
        {
            var c = a + round;
            var views = new[] { c, c.Reshape(1, n) };
            Parallel.For(0, 2, t => views[t].Dispose());
            var x = a + 1;
            var y = a + 2;
            Assert.That(x.Storage.Data, Is.Not.SameAs(y.Storage.Data), "a storage released from two threads enters the pool once");
            x.Dispose();
            y.Dispose();
        }
    }

    [Test]
    public void TheReadmeExampleSumsDisposedResultsAndReleases()
    {
        const int n = 100_183;
        var a = Tensor.Full([n], 1.5);
        var b = Tensor.Full([n], 0.5);
        float total = 0;
        for (int step = 0; step < 1000; step++)
        {
            using var y = a + b;
            total += y.Sum().Item<float>();
        }
        var z = a * 2;
        z.Dispose();
        Assert.That(total, Is.EqualTo(1000f * 2 * n).Within(1e-5 * 1000 * 2 * n));
        Assert.That(z.IsDisposed, Is.True);
        Assert.Throws<ObjectDisposedException>(() => z.Sum());
    }

    [Test]
    public void ARealizedLazyResultGoesBackToThePoolToo()
    {
        const int n = 100_189;
        var a = Seq(n) + 0;
        Tensor y;
        using (LazyMode.Scope()) y = a * 2 + 1;
        Assert.That(y.GetValue(3), Is.EqualTo(7.0)); // realizes into a pooled array
        var array = y.Storage.Data;
        y.Dispose();
        var next = a - 1;
        Assert.That(next.Storage.Data, Is.SameAs(array), "the realizer's pooled array comes back on Dispose");
        Assert.That(next.GetValue(3), Is.EqualTo(2.0));
    }
}
