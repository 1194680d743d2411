using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.Backends.Gpu.Kernels;

/// <summary>
/// How a kernel thread i finds its elements: the output shape (right-aligned into 6 dims) and the element strides of up
/// to three inputs and the output, broadcast dims having stride 0. When every operand is contiguous over the output
/// shape or a single element, <see cref="Linear"/> skips the index arithmetic.
/// </summary>
internal struct Layout
{
    public const int MaxRank = 6;

    public int Linear, LA, LB, LC;
    public int OffA, OffB, OffC, OffY;
    public int N0, N1, N2, N3, N4, N5;
    public int A0, A1, A2, A3, A4, A5;
    public int B0, B1, B2, B3, B4, B5;
    public int C0, C1, C2, C3, C4, C5;
    public int Y0, Y1, Y2, Y3, Y4, Y5;

    /// <summary>The storage offsets of element <paramref name="i"/> of the output in a, b, c and y.</summary>
    public readonly void Offsets(int i, out int a, out int b, out int c, out int y)
    {
        if (Linear != 0)
        {
            a = OffA + i * LA;
            b = OffB + i * LB;
            c = OffC + i * LC;
            y = OffY + i;
            return;
        }
        a = OffA; b = OffB; c = OffC; y = OffY;
        int r = i, k;
        k = r % N5; r /= N5; a += k * A5; b += k * B5; c += k * C5; y += k * Y5;
        k = r % N4; r /= N4; a += k * A4; b += k * B4; c += k * C4; y += k * Y4;
        k = r % N3; r /= N3; a += k * A3; b += k * B3; c += k * C3; y += k * Y3;
        k = r % N2; r /= N2; a += k * A2; b += k * B2; c += k * C2; y += k * Y2;
        k = r % N1; r /= N1; a += k * A1; b += k * B1; c += k * C1; y += k * Y1;
        a += r * A0; b += r * B0; c += r * C0; y += r * Y0;
    }

    /// <summary>The layout of <paramref name="y"/> = f(a, b, c) with a, b, c broadcast to y's shape (unused inputs null).</summary>
    internal static Layout For(Tensor y, Tensor? a, Tensor? b = null, Tensor? c = null, string op = "elementwise")
    {
        var shape = y.shape;
        if (shape.Length > MaxRank)
            throw new NotSupportedException($"{op} is not supported on {y.Device} for tensors of rank {shape.Length} (the GPU kernels index up to {MaxRank} dims); reshape or move to the CPU with .To(Device.Cpu)");
        var l = new Layout { OffY = y.offset };
        bool linear = y.IsContiguous;
        if (a != null) { l.OffA = a.offset; linear &= LinearStride(a, shape, out l.LA); }
        if (b != null) { l.OffB = b.offset; linear &= LinearStride(b, shape, out l.LB); }
        if (c != null) { l.OffC = c.offset; linear &= LinearStride(c, shape, out l.LC); }
        l.Linear = linear ? 1 : 0;
        if (linear) return l;
        Span<int> n = stackalloc int[MaxRank], sa = stackalloc int[MaxRank], sb = stackalloc int[MaxRank], sc = stackalloc int[MaxRank], sy = stackalloc int[MaxRank];
        n.Fill(1);
        int lead = MaxRank - shape.Length;
        for (int d = 0; d < shape.Length; d++) n[lead + d] = shape[d];
        Fill(a, shape, sa, lead);
        Fill(b, shape, sb, lead);
        Fill(c, shape, sc, lead);
        for (int d = 0; d < shape.Length; d++) sy[lead + d] = y.strides[d];
        (l.N0, l.N1, l.N2, l.N3, l.N4, l.N5) = (n[0], n[1], n[2], n[3], n[4], n[5]);
        (l.A0, l.A1, l.A2, l.A3, l.A4, l.A5) = (sa[0], sa[1], sa[2], sa[3], sa[4], sa[5]);
        (l.B0, l.B1, l.B2, l.B3, l.B4, l.B5) = (sb[0], sb[1], sb[2], sb[3], sb[4], sb[5]);
        (l.C0, l.C1, l.C2, l.C3, l.C4, l.C5) = (sc[0], sc[1], sc[2], sc[3], sc[4], sc[5]);
        (l.Y0, l.Y1, l.Y2, l.Y3, l.Y4, l.Y5) = (sy[0], sy[1], sy[2], sy[3], sy[4], sy[5]);
        return l;
    }

    private static bool LinearStride(Tensor t, int[] shape, out int stride)
    {
        if (t.Numel == 1) { stride = 0; return true; }
        stride = 1;
        return t.IsContiguous && t.shape.AsSpan().SequenceEqual(shape);
    }

    private static void Fill(Tensor? t, int[] shape, Span<int> dst, int lead)
    {
        if (t == null) return;
        if (t.Rank > shape.Length) throw new ArgumentException($"shape {Engine.Shape.Format(t.shape)} does not broadcast to {Engine.Shape.Format(shape)}");
        var s = StridedLoop.BroadcastStrides(t, shape);
        for (int d = 0; d < shape.Length; d++) dst[lead + d] = s[d];
    }
}
