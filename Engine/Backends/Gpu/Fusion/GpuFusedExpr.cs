using ILGPU;
using RlPlat.Engine.Backends.Gpu.Kernels;

namespace RlPlat.Engine.Backends.Gpu.Fusion;

// The GPU twin of Engine/Lazy/Fusion's expression types: the same nested generic struct shape (Mul<Add<In0, C0>, In1>),
// built from the same ExprNode, but with leaves that read ILGPU array views (the CPU leaves hold managed refs and
// Vector256 lanes, which ILGPU cannot compile). Op nodes reuse the elementwise op structs of GpuOps.

/// <summary>One node of a fused expression evaluated by an ILGPU kernel thread.</summary>
internal interface IGpuExpr
{
    float Eval(ref GpuFrame f, int i);
}

/// <summary>A kernel's inputs (views and element offsets), constants and let-bound temporaries.</summary>
internal struct GpuFrame
{
    public ArrayView<float> X0;
    public ArrayView<float> X1;
    public ArrayView<float> X2;
    public ArrayView<float> X3;
    public ArrayView<float> X4;
    public ArrayView<float> X5;
    public ArrayView<float> X6;
    public ArrayView<float> X7;
    public int O0, O1, O2, O3, O4, O5, O6, O7;
    public float C0, C1, C2, C3, C4, C5, C6, C7;
    public float T0, T1, T2, T3;

    /// <summary>Points slot <paramref name="slot"/> at <paramref name="view"/> from element <paramref name="offset"/>.</summary>
    public void SetInput(int slot, ArrayView<float> view, int offset)
    {
        switch (slot)
        {
            case 0: X0 = view; O0 = offset; break;
            case 1: X1 = view; O1 = offset; break;
            case 2: X2 = view; O2 = offset; break;
            case 3: X3 = view; O3 = offset; break;
            case 4: X4 = view; O4 = offset; break;
            case 5: X5 = view; O5 = offset; break;
            case 6: X6 = view; O6 = offset; break;
            case 7: X7 = view; O7 = offset; break;
            default: throw new ArgumentOutOfRangeException(nameof(slot), slot, "a fused kernel has at most 8 inputs");
        }
    }

    /// <summary>Sets constant slot <paramref name="slot"/>.</summary>
    public void SetConstant(int slot, float value)
    {
        switch (slot)
        {
            case 0: C0 = value; break;
            case 1: C1 = value; break;
            case 2: C2 = value; break;
            case 3: C3 = value; break;
            case 4: C4 = value; break;
            case 5: C5 = value; break;
            case 6: C6 = value; break;
            case 7: C7 = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(slot), slot, "a fused kernel has at most 8 constants");
        }
    }
}

/// <summary>op(A) for a GPU unary op struct.</summary>
internal struct GUnary<TOp, A> : IGpuExpr where TOp : struct, IGpuUnary where A : struct, IGpuExpr
{
    public float Eval(ref GpuFrame f, int i) => default(TOp).F(default(A).Eval(ref f, i));
}

/// <summary>op(A, B) for a GPU binary op struct.</summary>
internal struct GBinary<TOp, A, B> : IGpuExpr where TOp : struct, IGpuBinary where A : struct, IGpuExpr where B : struct, IGpuExpr
{
    public float Eval(ref GpuFrame f, int i) => default(TOp).F(default(A).Eval(ref f, i), default(B).Eval(ref f, i));
}

/// <summary>1 where A &gt; B, else 0.</summary>
internal struct GGreater<A, B> : IGpuExpr where A : struct, IGpuExpr where B : struct, IGpuExpr
{
    public float Eval(ref GpuFrame f, int i) => default(A).Eval(ref f, i) > default(B).Eval(ref f, i) ? 1f : 0f;
}

/// <summary>A where C is non-zero, else B.</summary>
internal struct GSelect<C, A, B> : IGpuExpr where C : struct, IGpuExpr where A : struct, IGpuExpr where B : struct, IGpuExpr
{
    public float Eval(ref GpuFrame f, int i) => default(C).Eval(ref f, i) != 0 ? default(A).Eval(ref f, i) : default(B).Eval(ref f, i);
}

#pragma warning disable SA1649 // leaves are generated one per slot
internal struct GIn0 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X0[f.O0 + i]; }
internal struct GBc0 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X0[f.O0]; }
internal struct GC0 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.C0; }
internal struct GIn1 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X1[f.O1 + i]; }
internal struct GBc1 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X1[f.O1]; }
internal struct GC1 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.C1; }
internal struct GIn2 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X2[f.O2 + i]; }
internal struct GBc2 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X2[f.O2]; }
internal struct GC2 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.C2; }
internal struct GIn3 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X3[f.O3 + i]; }
internal struct GBc3 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X3[f.O3]; }
internal struct GC3 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.C3; }
internal struct GIn4 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X4[f.O4 + i]; }
internal struct GBc4 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X4[f.O4]; }
internal struct GC4 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.C4; }
internal struct GIn5 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X5[f.O5 + i]; }
internal struct GBc5 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X5[f.O5]; }
internal struct GC5 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.C5; }
internal struct GIn6 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X6[f.O6 + i]; }
internal struct GBc6 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X6[f.O6]; }
internal struct GC6 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.C6; }
internal struct GIn7 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X7[f.O7 + i]; }
internal struct GBc7 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.X7[f.O7]; }
internal struct GC7 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.C7; }
internal struct GLet0<A, Body> : IGpuExpr where A : struct, IGpuExpr where Body : struct, IGpuExpr { public float Eval(ref GpuFrame f, int i) { f.T0 = default(A).Eval(ref f, i); return default(Body).Eval(ref f, i); } }
internal struct GRef0 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.T0; }
internal struct GLet1<A, Body> : IGpuExpr where A : struct, IGpuExpr where Body : struct, IGpuExpr { public float Eval(ref GpuFrame f, int i) { f.T1 = default(A).Eval(ref f, i); return default(Body).Eval(ref f, i); } }
internal struct GRef1 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.T1; }
internal struct GLet2<A, Body> : IGpuExpr where A : struct, IGpuExpr where Body : struct, IGpuExpr { public float Eval(ref GpuFrame f, int i) { f.T2 = default(A).Eval(ref f, i); return default(Body).Eval(ref f, i); } }
internal struct GRef2 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.T2; }
internal struct GLet3<A, Body> : IGpuExpr where A : struct, IGpuExpr where Body : struct, IGpuExpr { public float Eval(ref GpuFrame f, int i) { f.T3 = default(A).Eval(ref f, i); return default(Body).Eval(ref f, i); } }
internal struct GRef3 : IGpuExpr { public float Eval(ref GpuFrame f, int i) => f.T3; }
#pragma warning restore SA1649

/// <summary>The kernel every fused expression type is instantiated into.</summary>
internal static class GpuFusedKernels
{
    public static void Map<E>(Index1D i, ArrayView<float> dst, int dstOff, GpuFrame frame) where E : struct, IGpuExpr
    {
        var f = frame;
        dst[dstOff + i] = default(E).Eval(ref f, i);
    }
}
