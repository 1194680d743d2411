namespace RlPlat.Engine.Kernels;

/// <summary>A per-row callback over two operands (offsets and inner strides of each, row length).</summary>
internal interface IRowOp2
{
    /// <summary>Relative work per element (<see cref="ElementCost"/>), for the threading decision.</summary>
    static virtual int Cost => ElementCost.Streaming;
    void Row(int o0, int s0, int o1, int s1, int n);
}

/// <summary>A per-row callback over three operands.</summary>
internal interface IRowOp3
{
    /// <summary>Relative work per element (<see cref="ElementCost"/>), for the threading decision.</summary>
    static virtual int Cost => ElementCost.Streaming;
    void Row(int o0, int s0, int o1, int s1, int o2, int s2, int n);
}

/// <summary>
/// Walks the elements of strided operands that share one (broadcast) shape, a row at a time: dims that are
/// laid out back to back in every operand are merged first, so contiguous tensors become one long row.
/// Scratch space lives on the stack, so a walk allocates nothing.
/// </summary>
internal static class StridedLoop
{
    private const int StackRank = 16;

    /// <summary>
    /// Merges adjacent dims that are contiguous relative to each other in every operand and drops size-1 dims;
    /// <paramref name="s2"/> is empty for two operands. Returns the merged rank.
    /// </summary>
    internal static int Coalesce(ReadOnlySpan<int> shape, ReadOnlySpan<int> s0, ReadOnlySpan<int> s1, ReadOnlySpan<int> s2,
        Span<int> cshape, Span<int> c0, Span<int> c1, Span<int> c2)
    {
        bool three = !s2.IsEmpty;
        int r = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            int n = shape[d];
            if (n == 1) continue;
            if (r > 0 && c0[r - 1] == s0[d] * n && c1[r - 1] == s1[d] * n && (!three || c2[r - 1] == s2[d] * n))
            {
                cshape[r - 1] *= n;
                c0[r - 1] = s0[d];
                c1[r - 1] = s1[d];
                if (three) c2[r - 1] = s2[d];
                continue;
            }
            cshape[r] = n;
            c0[r] = s0[d];
            c1[r] = s1[d];
            if (three) c2[r] = s2[d];
            r++;
        }
        return r;
    }

    internal static void ForEachRow<TOp>(ref TOp op, int[] shape, int[] st0, int off0, int[] st1, int off1) where TOp : struct, IRowOp2
    {
        int rank = shape.Length;
        Span<int> buf = rank <= StackRank ? stackalloc int[4 * StackRank] : new int[4 * rank];
        Span<int> cs = buf.Slice(0, rank), c0 = buf.Slice(rank, rank), c1 = buf.Slice(2 * rank, rank), idx = buf.Slice(3 * rank, rank);
        int r = Coalesce(shape, st0, st1, default, cs, c0, c1, default);
        if (r == 0) { op.Row(off0, 1, off1, 1, Shape.Numel(shape)); return; }
        int n = cs[r - 1], s0 = c0[r - 1], s1 = c1[r - 1];
        if (r == 1) { op.Row(off0, s0, off1, s1, n); return; }
        int o0 = off0, o1 = off1;
        while (true)
        {
            op.Row(o0, s0, o1, s1, n);
            int d = r - 2;
            for (; d >= 0; d--)
            {
                o0 += c0[d]; o1 += c1[d];
                if (++idx[d] < cs[d]) break;
                o0 -= c0[d] * cs[d]; o1 -= c1[d] * cs[d];
                idx[d] = 0;
            }
            if (d < 0) return;
        }
    }

    internal static void ForEachRow<TOp>(ref TOp op, int[] shape, int[] st0, int off0, int[] st1, int off1, int[] st2, int off2) where TOp : struct, IRowOp3
    {
        int rank = shape.Length;
        Span<int> buf = rank <= StackRank ? stackalloc int[5 * StackRank] : new int[5 * rank];
        Span<int> cs = buf.Slice(0, rank), c0 = buf.Slice(rank, rank), c1 = buf.Slice(2 * rank, rank), c2 = buf.Slice(3 * rank, rank), idx = buf.Slice(4 * rank, rank);
        int r = Coalesce(shape, st0, st1, st2, cs, c0, c1, c2);
        if (r == 0) { op.Row(off0, 1, off1, 1, off2, 1, Shape.Numel(shape)); return; }
        int n = cs[r - 1], s0 = c0[r - 1], s1 = c1[r - 1], s2 = c2[r - 1];
        if (r == 1) { op.Row(off0, s0, off1, s1, off2, s2, n); return; }
        int o0 = off0, o1 = off1, o2 = off2;
        while (true)
        {
            op.Row(o0, s0, o1, s1, o2, s2, n);
            int d = r - 2;
            for (; d >= 0; d--)
            {
                o0 += c0[d]; o1 += c1[d]; o2 += c2[d];
                if (++idx[d] < cs[d]) break;
                o0 -= c0[d] * cs[d]; o1 -= c1[d] * cs[d]; o2 -= c2[d] * cs[d];
                idx[d] = 0;
            }
            if (d < 0) return;
        }
    }

    /// <summary>Strides of <paramref name="t"/> viewed at the broadcast shape <paramref name="shape"/> (0 on broadcast dims).</summary>
    internal static int[] BroadcastStrides(Tensor t, int[] shape)
    {
        var tShape = t.shape;
        if (tShape.Length == shape.Length && tShape.AsSpan().SequenceEqual(shape)) return t.strides;
        var s = new int[shape.Length];
        int lead = shape.Length - tShape.Length;
        for (int d = 0; d < tShape.Length; d++)
            s[lead + d] = tShape[d] == 1 && shape[lead + d] != 1 ? 0 : t.strides[d];
        return s;
    }
}
