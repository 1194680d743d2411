using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Ops;

/// <summary>Gather/scatter, index and mask selection, triangles, joining and splitting, flips, rolls, repeats, padding, sorting — against PyTorch.</summary>
public class IndexingJoiningTests
{
    private static Tensor X() => Tensor.FromArray(new float[] { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8 }, 3, 4);
    private static Tensor L(long[] v, params int[] shape) => Tensor.FromArray(v, shape);

    [Test]
    public void GatherAndScatterMatchTorch()
    {
        var i = L([0, 2, 3, 0, 1, 1], 3, 2);
        Assert.That(X().Gather(1, i).ToArray(), Is.EqualTo(new float[] { 3, 4, 6, 5, 3, 3 }));
        Assert.That(X().Gather(0, L([2, 0, 1, 0], 1, 4)).ToArray(), Is.EqualTo(new float[] { 5, 1, 2, 1 }));
        Assert.That(X().Gather(-1, Tensor.FromArray(new[] { 0, 2, 3, 0, 1, 1 }, 3, 2)).ToArray(), Is.EqualTo(new float[] { 3, 4, 6, 5, 3, 3 }), "int32 index, negative dim");
        var src = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        Assert.That(Tensor.Zeros(3, 4).Scatter(1, i, src).ToArray(), Is.EqualTo(new float[] { 1, 0, 2, 0, 4, 0, 0, 3, 0, 6, 0, 0 }));
        Assert.That(Tensor.Zeros(3, 4).ScatterAdd(1, i, src).ToArray(), Is.EqualTo(new float[] { 1, 0, 2, 0, 4, 0, 0, 3, 0, 11, 0, 0 }));
        Assert.That(X().T.Gather(0, L([1, 2], 1, 2)).ToArray(), Is.EqualTo(new float[] { 1, 2 }), "gather from a transposed view");
        var ex = Assert.Throws<ArgumentException>(() => X().Gather(1, L([4], 1, 1)));
        Assert.That(ex!.Message, Does.Contain("index 4").And.Contain("size 4"));
        Assert.Throws<ArgumentException>(() => X().Gather(1, Tensor.Zeros(3, 1)));
        Assert.Throws<ArgumentException>(() => X().Gather(1, L([0], 1)));
    }

    [Test]
    public void IndexSelectIndexAddAndAdvancedIndexing()
    {
        Assert.That(X().IndexSelect(1, L([3, 0, 3], 3)).ToArray(), Is.EqualTo(new float[] { 1, 3, 1, 6, 5, 6, 8, 5, 8 }));
        var rows = Tensor.FromArray(new float[] { 1, 2, 3 }, 3, 1).Expand(3, 4);
        Assert.That(Tensor.Zeros(3, 4).IndexAdd(0, L([2, 0, 2], 3), rows).ToArray(), Is.EqualTo(new float[] { 2, 2, 2, 2, 0, 0, 0, 0, 4, 4, 4, 4 }));
        Assert.That(X().Index(L([0, 2, 2], 3), L([1, -1, 0], 3)).ToArray(), Is.EqualTo(new float[] { 1, 8, 5 }));
        var byRows = X().Index(L([2, 0, 2, 1], 2, 2));
        Assert.That(byRows.Shape, Is.EqualTo(new[] { 2, 2, 4 }));
        Assert.That(byRows.Select(0, 1).Select(0, 1).ToArray(), Is.EqualTo(new float[] { 5, 9, 2, 6 }));
        Assert.That(X().Index(X().Gt(4)).ToArray(), Is.EqualTo(new float[] { 5, 9, 6, 5, 5, 8 }));
        Assert.That(X()[1, 2].Item<float>(), Is.EqualTo(2f));
        Assert.That(X()[-1].ToArray(), Is.EqualTo(new float[] { 5, 3, 5, 8 }));
    }

    [Test]
    public void MaskedSelectNonzeroArgwhere()
    {
        Assert.That(X().MaskedSelect(X().Gt(4)).ToArray(), Is.EqualTo(new float[] { 5, 9, 6, 5, 5, 8 }));
        var nz = X().Gt(4).Nonzero();
        Assert.That(nz.Shape, Is.EqualTo(new[] { 6, 2 }));
        Assert.That(nz.ToArray<long>(), Is.EqualTo(new long[] { 1, 0, 1, 1, 1, 3, 2, 0, 2, 2, 2, 3 }));
        Assert.That(X().Gt(4).Argwhere().ToArray<long>(), Is.EqualTo(nz.ToArray<long>()));
        Assert.That(Tensor.Zeros(3).Nonzero().Shape, Is.EqualTo(new[] { 0, 1 }));
        var row = Tensor.FromArray(new[] { true, false, false, true });
        Assert.That(X().MaskedSelect(row).ToArray(), Is.EqualTo(new float[] { 3, 1, 5, 6, 5, 8 }), "mask broadcasts over rows");
        Assert.Throws<ArgumentException>(() => X().MaskedSelect(Tensor.Zeros(4)));
    }

    [Test]
    public void TrianglesDiagonalTrace()
    {
        Assert.That(X().Tril().ToArray(), Is.EqualTo(new float[] { 3, 0, 0, 0, 5, 9, 0, 0, 5, 3, 5, 0 }));
        Assert.That(X().Triu(1).ToArray(), Is.EqualTo(new float[] { 0, 1, 4, 1, 0, 0, 2, 6, 0, 0, 0, 8 }));
        Assert.That(X().Tril(-1).ToArray(), Is.EqualTo(new float[] { 0, 0, 0, 0, 5, 0, 0, 0, 5, 3, 0, 0 }));
        Assert.That(X().Diagonal().ToArray(), Is.EqualTo(new float[] { 3, 9, 5 }));
        var x = X();
        Assert.That(x.Diagonal().SharesStorageWith(x), Is.True, "the diagonal is a view");
        Assert.That(X().Trace().Item<float>(), Is.EqualTo(17f));
        Assert.That(Tensor.FromArray(new float[] { 1, 2 }).DiagEmbed().ToArray(), Is.EqualTo(new float[] { 1, 0, 0, 2 }));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).Tril());
    }

    [Test]
    public void CatStackSplitChunkUnbind()
    {
        var a = Tensor.FromArray(new[] { 1, 2 }, 1, 2);
        var b = Tensor.FromArray(new float[] { 3, 4, 5, 6 }, 2, 2);
        var c = Tensor.Cat([a, b], 0);
        Assert.That(c.DType, Is.EqualTo(DType.Float32), "Cat promotes");
        Assert.That(c.ToArray(), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(Tensor.Cat([b, b.T], -1).ToArray(), Is.EqualTo(new float[] { 3, 4, 3, 5, 5, 6, 4, 6 }));
        Assert.That(Tensor.Cat([Tensor.Zeros(0, 2), b]).Shape, Is.EqualTo(new[] { 2, 2 }));
        var s = Tensor.Stack([b, b.Mul(2)], 1);
        Assert.That(s.Shape, Is.EqualTo(new[] { 2, 2, 2 }));
        Assert.That(s.ToArray(), Is.EqualTo(new float[] { 3, 4, 6, 8, 5, 6, 10, 12 }));
        Assert.That(Tensor.Stack([b, b], -1).Shape, Is.EqualTo(new[] { 2, 2, 2 }));
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Cat([a, Tensor.Zeros(2, 3)], 0));
        Assert.That(ex!.Message, Does.Contain("[2,3]").And.Contain("[1,2]"));
        Assert.Throws<ArgumentException>(() => Tensor.Stack([a, b]));
        Assert.Throws<ArgumentException>(() => Tensor.Cat(Array.Empty<Tensor>()));

        var r = Tensor.Arange(10);
        int[] Sizes(Tensor[] parts) => parts.Select(p => p.Size(0)).ToArray();
        Assert.That(Sizes(r.Chunk(4)), Is.EqualTo(new[] { 3, 3, 3, 1 }));
        Assert.That(Sizes(r.Split(3)), Is.EqualTo(new[] { 3, 3, 3, 1 }));
        Assert.That(Sizes(r.Split([2, 8])), Is.EqualTo(new[] { 2, 8 }));
        Assert.That(r.Split(3)[1].ToArray(), Is.EqualTo(new float[] { 3, 4, 5 }));
        Assert.That(r.Split(3)[1].SharesStorageWith(r), Is.True);
        Assert.Throws<ArgumentException>(() => r.Split([2, 2]));
        var u = b.Unbind(1);
        Assert.That(u, Has.Length.EqualTo(2));
        Assert.That(u[1].ToArray(), Is.EqualTo(new float[] { 4, 6 }));
    }

    [Test]
    public void FlipRollRepeatTileRepeatInterleave()
    {
        Assert.That(X().Flip(0, 1).ToArray(), Is.EqualTo(new float[] { 8, 5, 3, 5, 6, 2, 9, 5, 1, 4, 1, 3 }));
        Assert.That(X().Roll(1, 1).ToArray(), Is.EqualTo(new float[] { 1, 3, 1, 4, 6, 5, 9, 2, 8, 5, 3, 5 }));
        Assert.That(X().Roll(-1, 0).ToArray(), Is.EqualTo(new float[] { 5, 9, 2, 6, 5, 3, 5, 8, 3, 1, 4, 1 }));
        Assert.That(X().Roll([1, 2], [0, 1]).ToArray(), Is.EqualTo(new float[] { 5, 8, 5, 3, 4, 1, 3, 1, 2, 6, 5, 9 }));
        Assert.That(X().Roll(13, 1).ToArray(), Is.EqualTo(X().Roll(1, 1).ToArray()));
        var y = Tensor.FromArray(new[] { 1, 2, 3, 4 }, 2, 2);
        Assert.That(y.Repeat(2, 3).ToArray<int>(), Is.EqualTo(new[] { 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4 }));
        Assert.That(y.Repeat(2, 1, 2).Shape, Is.EqualTo(new[] { 2, 2, 4 }));
        Assert.That(Tensor.FromArray(new[] { 1, 2, 3 }).Tile(2).ToArray<int>(), Is.EqualTo(new[] { 1, 2, 3, 1, 2, 3 }));
        Assert.That(y.Tile(2).ToArray<int>(), Is.EqualTo(new[] { 1, 2, 1, 2, 3, 4, 3, 4 }));
        Assert.That(y.RepeatInterleave(2, 0).ToArray<int>(), Is.EqualTo(new[] { 1, 2, 1, 2, 3, 4, 3, 4 }));
        Assert.That(y.RepeatInterleave(3, 1).ToArray<int>(), Is.EqualTo(new[] { 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4 }));
        Assert.Throws<ArgumentException>(() => y.Repeat(2));
    }

    [Test]
    public void PadWithValuesAndCrops()
    {
        var y = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        Assert.That(y.Pad([1, 2], 9).ToArray(), Is.EqualTo(new float[] { 9, 1, 2, 9, 9, 9, 3, 4, 9, 9 }));
        Assert.That(y.Pad([0, 0, 1, 0]).ToArray(), Is.EqualTo(new float[] { 0, 0, 1, 2, 3, 4 }));
        var crop = Tensor.Arange(12).Reshape(3, 4).Pad([-1, 1, -1, 0]);
        Assert.That(crop.Shape, Is.EqualTo(new[] { 2, 4 }));
        Assert.That(crop.ToArray(), Is.EqualTo(new float[] { 5, 6, 7, 0, 9, 10, 11, 0 }));
        Assert.Throws<ArgumentException>(() => y.Pad([1]));
    }

    [Test]
    public void SortArgsortTopKMatchTorch()
    {
        var (v, i) = X().Sort(1);
        Assert.That(v.ToArray(), Is.EqualTo(new float[] { 1, 1, 3, 4, 2, 5, 6, 9, 3, 5, 5, 8 }));
        Assert.That(i.ToArray<long>(), Is.EqualTo(new long[] { 1, 3, 0, 2, 2, 0, 3, 1, 1, 0, 2, 3 }), "stable: equal keys keep their order");
        var (dv, di) = X().Sort(0, descending: true);
        Assert.That(dv.ToArray(), Is.EqualTo(new float[] { 5, 9, 5, 8, 5, 3, 4, 6, 3, 1, 2, 1 }));
        Assert.That(di.ToArray<long>(), Is.EqualTo(new long[] { 1, 1, 2, 2, 2, 2, 0, 1, 0, 0, 1, 0 }));
        var (tv, ti) = X().TopK(2, 1);
        Assert.That(tv.ToArray(), Is.EqualTo(new float[] { 4, 3, 9, 6, 8, 5 }));
        // Row 2 ties (5 at 0 and 2): torch's unstable topk returns 2; ours is stable and returns the first.
        Assert.That(ti.ToArray<long>(), Is.EqualTo(new long[] { 2, 0, 1, 3, 3, 0 }));
        var (sv, si) = X().TopK(2, 0, largest: false);
        Assert.That(sv.ToArray(), Is.EqualTo(new float[] { 3, 1, 2, 1, 5, 3, 4, 6 }));
        Assert.That(si.ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 1, 0, 1, 2, 0, 1 }));
        Assert.That(Tensor.FromArray(new[] { 2.0, double.NaN, 1 }).Argsort().ToArray<long>(), Is.EqualTo(new long[] { 2, 0, 1 }), "NaN sorts last");
        Assert.That(Tensor.FromArray(new[] { 3, 1, 2 }).Sort().Values.ToArray<int>(), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.Throws<ArgumentException>(() => X().TopK(5, 1));
    }
}
