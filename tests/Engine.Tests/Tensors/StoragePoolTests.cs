using System.Runtime.CompilerServices;
using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Tensors;

// Each test uses its own odd length so that arrays other tests leave behind never answer its allocations.
[NonParallelizable] // sets the process-wide pool limit
public class StoragePoolTests
{
    private long savedMax;

    [SetUp]
    public void SaveLimit() => savedMax = StoragePool.MaxBytes;

    [TearDown]
    public void RestoreLimit() => StoragePool.MaxBytes = savedMax;

    /// <summary>A full collection plus the finalizers it queued: dead pooled arrays are back in the pool afterwards.</summary>
    private static void CollectDead()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    // NoInlining: the tensor must be out of scope (dead) once these return; only a resurrection-tracking weak reference
    // to its array is kept, which does not keep the array alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DeadArray(int n, double fill, DType dtype = DType.Float32) =>
        new(Tensor.Full([n], fill, dtype).Storage.Data, trackResurrection: true);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DeadSum(Tensor a, Tensor b) => new((a + b).Storage.Data, trackResurrection: true);

    [Test]
    public void DeadTensorArrayIsReusedAndZeroed()
    {
        const int n = 100_003;
        var old = DeadArray(n, 7);
        CollectDead();
        long reused = StoragePool.Reused;
        var z = Tensor.Zeros(n);
        Assert.That(ReferenceEquals(z.Storage.Data, old.Target), Is.True, "the dead array should come back");
        Assert.That(StoragePool.Reused, Is.EqualTo(reused + 1));
        Assert.That(z.ToArray<float>().All(v => v == 0), Is.True, "a recycled array is zeroed for Zeros");
    }

    [Test]
    public void OpResultsReuseTheArrayOfADeadResult()
    {
        const int n = 100_019;
        var a = Tensor.Arange(n);
        var b = Tensor.Full([n], 0.5);
        var old = DeadSum(a, b);
        CollectDead();
        var c = a + b;
        Assert.That(ReferenceEquals(c.Storage.Data, old.Target), Is.True);
        Assert.That(c.GetValue(0), Is.EqualTo(0.5));
        Assert.That(c.GetValue(n - 1), Is.EqualTo(n - 1 + 0.5));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Memory<float> MemoryOfDeadTensor(int n) => Tensor.Full([n], 7).AsMemory<float>();

    [Test]
    public void ArrayStillReachedThroughMemoryIsNotReused()
    {
        const int n = 100_043;
        var memory = MemoryOfDeadTensor(n);
        CollectDead();
        var z = Tensor.Zeros(n);
        Assert.That(MemoryMarshalArray(memory), Is.Not.SameAs(z.Storage.Data));
        Assert.That(memory.Span[0], Is.EqualTo(7f));
        Assert.That(memory.Span[n - 1], Is.EqualTo(7f));
    }

    private static float[] MemoryMarshalArray(Memory<float> m) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray<float>(m, out var seg) ? seg.Array! : throw new InvalidOperationException("not array-backed");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Tensor ViewOfDeadTensor(int n) => Tensor.Full([n], 7).Slice(0, 1, n, 2);

    [Test]
    public void ArrayStillReachedThroughAViewIsNotReused()
    {
        const int n = 100_057;
        var view = ViewOfDeadTensor(n);
        CollectDead();
        var z = Tensor.Zeros(n);
        var z2 = Tensor.Full([n], -1);
        Assert.That(view.Storage.Data, Is.Not.SameAs(z.Storage.Data));
        Assert.That(view.Storage.Data, Is.Not.SameAs(z2.Storage.Data));
        Assert.That(view.Sum().Item<float>(), Is.EqualTo(7f * (n / 2)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WrapAndDrop(float[] user) => _ = Tensor.FromArray(user).Sum();

    [Test]
    public void UserArraysFromFromArrayAreNeverPooled()
    {
        const int n = 100_069;
        var user = new float[n];
        WrapAndDrop(user);
        var weak = new WeakReference(user, trackResurrection: true);
        user = null!;
        CollectDead();
        for (int i = 0; i < 3; i++)
            Assert.That(ReferenceEquals(Tensor.Zeros(n).Storage.Data, weak.Target), Is.False);
    }

    [Test]
    public void SmallArraysAreNotPooled()
    {
        const int n = 1_001; // 4 KB: below StoragePool.MinBytes
        var old = DeadArray(n, 7);
        CollectDead();
        Assert.That(old.Target, Is.Null, "a small dead array is simply collected");
    }

    [Test]
    public void ZeroLimitTurnsPoolingOffAndEmptiesThePool()
    {
        const int n = 100_103;
        var kept = DeadArray(n, 7);
        CollectDead();
        Assert.That(StoragePool.PooledBytes, Is.GreaterThanOrEqualTo(4L * n));
        StoragePool.MaxBytes = 0;
        Assert.That(StoragePool.PooledBytes, Is.EqualTo(0));
        var old = DeadArray(n, 7);
        CollectDead();
        Assert.That(StoragePool.PooledBytes, Is.EqualTo(0));
        Assert.That(ReferenceEquals(Tensor.Zeros(n).Storage.Data, old.Target), Is.False);
        GC.KeepAlive(kept);
    }

    [Test]
    public void ArraysComeBackOnlyForTheSameDTypeAndLength()
    {
        const int n = 100_129;
        var old = DeadArray(n, 7, DType.Int32);
        CollectDead();
        Assert.That(ReferenceEquals(Tensor.Zeros(n).Storage.Data, old.Target), Is.False, "float32 of the same length");
        Assert.That(ReferenceEquals(Tensor.Zeros(DType.Int32, n + 1).Storage.Data, old.Target), Is.False, "int32, one longer");
        var same = Tensor.Zeros(DType.Int32, n);
        Assert.That(ReferenceEquals(same.Storage.Data, old.Target), Is.True);
        Assert.That(same.ToArray<int>().All(v => v == 0), Is.True);
    }

    [Test]
    public void ALoopOfAllocatingOpsRecyclesWithoutExplicitCollections()
    {
        // 400 KB results: the pool induces a full collection every CollectAfterBytes (64 MB, 160 results) of misses,
        // and the dead results it finds answer the allocations that follow.
        const int n = 100_151;
        var a = Tensor.Arange(n);
        var b = Tensor.Full([n], 2);
        long reused = StoragePool.Reused;
        Tensor c = a;
        for (int i = 0; i < 1000; i++) c = a * b;
        Assert.That(StoragePool.Reused - reused, Is.GreaterThan(0));
        Assert.That(c.GetValue(n - 1), Is.EqualTo(2.0 * (n - 1)));
    }

    [Test]
    public void InALongAllocatingLoopAlmostEveryResultIsRecycled()
    {
        // The loop a user writes (`z = a + b` over and over) with no explicit collections: once the pool is primed, the
        // collections it induces before it runs dry, and the wait for the finalizer after them, answer the allocations
        // with recycled arrays instead of fresh memory.
        const int n = 100_153;
        var a = Tensor.Arange(n);
        var b = Tensor.Full([n], 0.25);
        Tensor c = a;
        for (int i = 0; i < 400; i++) c = a + b; // prime: the first collection happens after 64 MB (160 results)
        long reused = StoragePool.Reused;
        for (int i = 0; i < 2000; i++) c = a + b;
        Assert.That(StoragePool.Reused - reused, Is.GreaterThanOrEqualTo(1900), "recycled of 2000");
        Assert.That(c.GetValue(n - 1), Is.EqualTo(n - 1 + 0.25));
    }

    [Test]
    public void LiveTensorsKeepTheirArraysThroughInducedCollections()
    {
        // Results kept alive (in a list, and one only through a view) next to thousands of dead ones of the same size:
        // the pool's collections and recycling never hand a live array out, so every kept value survives.
        const int n = 100_169;
        var a = Tensor.Arange(n);
        var kept = new List<(Tensor T, float First, float Last)>();
        Tensor? viewOnly = null;
        for (int i = 0; i < 2000; i++)
        {
            var r = a + i;
            if (i % 200 == 0) kept.Add((r, i, n - 1 + i));
            if (i == 1001) viewOnly = r.Narrow(0, n - 2, 2);
        }
        foreach (var (t, first, last) in kept)
        {
            Assert.That(t.GetValue(0), Is.EqualTo(first));
            Assert.That(t.GetValue(n - 1), Is.EqualTo(last));
        }
        Assert.That(viewOnly!.ToArray<float>(), Is.EqualTo(new float[] { n - 2 + 1001, n - 1 + 1001 }));
        var arrays = kept.Select(k => k.T.Storage.Data).Append(viewOnly.Storage.Data).ToList();
        Assert.That(arrays.Distinct().Count(), Is.EqualTo(arrays.Count), "no two live tensors share an array");
    }

    [Test]
    public void NegativeLimitIsRejectedWithItsValue()
    {
        var e = Assert.Throws<ArgumentException>(() => StoragePool.MaxBytes = -5);
        Assert.That(e!.Message, Does.Contain("-5"));
    }
}
