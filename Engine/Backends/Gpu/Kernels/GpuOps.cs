using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.Backends.Gpu.Kernels;

// Op structs the ILGPU kernels are instantiated with. ILGPU compiles instance methods of stateless structs
// (default(TOp).F(x)), not the static abstract members of the CPU op structs, so each CPU op has a twin here with a
// float and a double form. Integer dtypes are computed in double (exact below 2^53) and converted back.

/// <summary>A unary elementwise op in float and double.</summary>
internal interface IGpuUnary
{
    float F(float x);
    double D(double x);
}

/// <summary>A binary elementwise op in float and double.</summary>
internal interface IGpuBinary
{
    float F(float a, float b);
    double D(double a, double b);
}

/// <summary>A comparison in float and double.</summary>
internal interface IGpuCompare
{
    bool F(float a, float b);
    bool D(double a, double b);
}

internal struct GNeg : IGpuUnary { public float F(float x) => -x; public double D(double x) => -x; }
internal struct GAbs : IGpuUnary { public float F(float x) => MathF.Abs(x); public double D(double x) => Math.Abs(x); }
internal struct GSquare : IGpuUnary { public float F(float x) => x * x; public double D(double x) => x * x; }
internal struct GSign : IGpuUnary { public float F(float x) => x > 0 ? 1f : x < 0 ? -1f : 0f; public double D(double x) => x > 0 ? 1 : x < 0 ? -1 : 0; }
internal struct GRelu : IGpuUnary { public float F(float x) => x > 0 ? x : 0f; public double D(double x) => x > 0 ? x : 0; }
internal struct GExp : IGpuUnary { public float F(float x) => MathF.Exp(x); public double D(double x) => Math.Exp(x); }
internal struct GLog : IGpuUnary { public float F(float x) => MathF.Log(x); public double D(double x) => Math.Log(x); }
internal struct GLog2 : IGpuUnary { public float F(float x) => MathF.Log(x) * 1.442695040888963f; public double D(double x) => Math.Log(x) * 1.4426950408889634; }
internal struct GLog10 : IGpuUnary { public float F(float x) => MathF.Log(x) * 0.4342944819032518f; public double D(double x) => Math.Log(x) * 0.43429448190325176; }
internal struct GLog1p : IGpuUnary
{
    public float F(float x) { float u = 1f + x; return u == 1f ? x : MathF.Log(u) * x / (u - 1f); }
    public double D(double x) { double u = 1 + x; return u == 1 ? x : Math.Log(u) * x / (u - 1); }
}
internal struct GExpm1 : IGpuUnary
{
    public float F(float x) { float u = MathF.Exp(x); if (u == 1f) return x; float m = u - 1f; return m == -1f ? -1f : m * x / MathF.Log(u); }
    public double D(double x) { double u = Math.Exp(x); if (u == 1) return x; double m = u - 1; return m == -1 ? -1 : m * x / Math.Log(u); }
}
internal struct GSqrt : IGpuUnary { public float F(float x) => MathF.Sqrt(x); public double D(double x) => Math.Sqrt(x); }
internal struct GRsqrt : IGpuUnary { public float F(float x) => 1f / MathF.Sqrt(x); public double D(double x) => 1 / Math.Sqrt(x); }
internal struct GReciprocal : IGpuUnary { public float F(float x) => 1f / x; public double D(double x) => 1 / x; }
internal struct GFloor : IGpuUnary { public float F(float x) => MathF.Floor(x); public double D(double x) => Math.Floor(x); }
internal struct GCeil : IGpuUnary { public float F(float x) => MathF.Ceiling(x); public double D(double x) => Math.Ceiling(x); }
internal struct GTrunc : IGpuUnary { public float F(float x) => x < 0 ? MathF.Ceiling(x) : MathF.Floor(x); public double D(double x) => x < 0 ? Math.Ceiling(x) : Math.Floor(x); }
internal struct GRound : IGpuUnary
{
    // Half to even, as the CPU op; values this large are already integers.
    public float F(float x)
    {
        if (!(MathF.Abs(x) < 8388608f)) return x;
        float r = MathF.Floor(x + 0.5f);
        return r - x == 0.5f && r * 0.5f != MathF.Floor(r * 0.5f) ? r - 1f : r;
    }
    public double D(double x)
    {
        if (!(Math.Abs(x) < 4503599627370496.0)) return x;
        double r = Math.Floor(x + 0.5);
        return r - x == 0.5 && r * 0.5 != Math.Floor(r * 0.5) ? r - 1 : r;
    }
}
internal struct GSin : IGpuUnary { public float F(float x) => MathF.Sin(x); public double D(double x) => Math.Sin(x); }
internal struct GCos : IGpuUnary { public float F(float x) => MathF.Cos(x); public double D(double x) => Math.Cos(x); }
internal struct GTan : IGpuUnary { public float F(float x) => MathF.Tan(x); public double D(double x) => Math.Tan(x); }
internal struct GAsin : IGpuUnary { public float F(float x) => MathF.Asin(x); public double D(double x) => Math.Asin(x); }
internal struct GAcos : IGpuUnary { public float F(float x) => MathF.Acos(x); public double D(double x) => Math.Acos(x); }
internal struct GAtan : IGpuUnary { public float F(float x) => MathF.Atan(x); public double D(double x) => Math.Atan(x); }
internal struct GSinh : IGpuUnary { public float F(float x) => MathF.Sinh(x); public double D(double x) => Math.Sinh(x); }
internal struct GCosh : IGpuUnary { public float F(float x) => MathF.Cosh(x); public double D(double x) => Math.Cosh(x); }
internal struct GTanh : IGpuUnary { public float F(float x) => MathF.Tanh(x); public double D(double x) => Math.Tanh(x); }
internal struct GAsinh : IGpuUnary
{
    public float F(float x) { float a = MathF.Abs(x); float r = MathF.Log(a + MathF.Sqrt(a * a + 1f)); return x < 0 ? -r : r; }
    public double D(double x) { double a = Math.Abs(x); double r = Math.Log(a + Math.Sqrt(a * a + 1)); return x < 0 ? -r : r; }
}
internal struct GAcosh : IGpuUnary { public float F(float x) => MathF.Log(x + MathF.Sqrt(x * x - 1f)); public double D(double x) => Math.Log(x + Math.Sqrt(x * x - 1)); }
internal struct GAtanh : IGpuUnary { public float F(float x) => 0.5f * MathF.Log((1f + x) / (1f - x)); public double D(double x) => 0.5 * Math.Log((1 + x) / (1 - x)); }
internal struct GSigmoid : IGpuUnary { public float F(float x) => 1f / (1f + MathF.Exp(-x)); public double D(double x) => 1 / (1 + Math.Exp(-x)); }
internal struct GSoftplus : IGpuUnary
{
    public float F(float x) => (x > 0 ? x : 0f) + default(GLog1p).F(MathF.Exp(-MathF.Abs(x)));
    public double D(double x) => (x > 0 ? x : 0) + default(GLog1p).D(Math.Exp(-Math.Abs(x)));
}
internal struct GSilu : IGpuUnary { public float F(float x) => x / (1f + MathF.Exp(-x)); public double D(double x) => x / (1 + Math.Exp(-x)); }
internal struct GGelu : IGpuUnary
{
    public float F(float x) => (float)D(x);
    public double D(double x) => 0.5 * x * (1.0 + SpecialFunctions.Erf(x * 0.70710678118654752));
}
internal struct GErf : IGpuUnary { public float F(float x) => (float)SpecialFunctions.Erf(x); public double D(double x) => SpecialFunctions.Erf(x); }

internal struct GAdd : IGpuBinary { public float F(float a, float b) => a + b; public double D(double a, double b) => a + b; }
internal struct GSub : IGpuBinary { public float F(float a, float b) => a - b; public double D(double a, double b) => a - b; }
internal struct GMul : IGpuBinary { public float F(float a, float b) => a * b; public double D(double a, double b) => a * b; }
internal struct GDiv : IGpuBinary { public float F(float a, float b) => a / b; public double D(double a, double b) => a / b; }
internal struct GMaximum : IGpuBinary
{
    public float F(float a, float b) => float.IsNaN(a) ? a : float.IsNaN(b) ? b : a > b ? a : b;
    public double D(double a, double b) => double.IsNaN(a) ? a : double.IsNaN(b) ? b : a > b ? a : b;
}
internal struct GMinimum : IGpuBinary
{
    public float F(float a, float b) => float.IsNaN(a) ? a : float.IsNaN(b) ? b : a < b ? a : b;
    public double D(double a, double b) => double.IsNaN(a) ? a : double.IsNaN(b) ? b : a < b ? a : b;
}
internal struct GFmod : IGpuBinary
{
    public float F(float a, float b) => a - b * default(GTrunc).F(a / b);
    public double D(double a, double b) => a - b * default(GTrunc).D(a / b);
}
internal struct GRemainder : IGpuBinary
{
    public float F(float a, float b) { float r = default(GFmod).F(a, b); return r != 0 && (r < 0) != (b < 0) ? r + b : r; }
    public double D(double a, double b) { double r = default(GFmod).D(a, b); return r != 0 && (r < 0) != (b < 0) ? r + b : r; }
}
internal struct GPow : IGpuBinary { public float F(float a, float b) => MathF.Pow(a, b); public double D(double a, double b) => Math.Pow(a, b); }
internal struct GAtan2 : IGpuBinary { public float F(float a, float b) => MathF.Atan2(a, b); public double D(double a, double b) => Math.Atan2(a, b); }

internal struct GEq : IGpuCompare { public bool F(float a, float b) => a == b; public bool D(double a, double b) => a == b; }
internal struct GNe : IGpuCompare { public bool F(float a, float b) => a != b; public bool D(double a, double b) => a != b; }
internal struct GLt : IGpuCompare { public bool F(float a, float b) => a < b; public bool D(double a, double b) => a < b; }
internal struct GLe : IGpuCompare { public bool F(float a, float b) => a <= b; public bool D(double a, double b) => a <= b; }
internal struct GGt : IGpuCompare { public bool F(float a, float b) => a > b; public bool D(double a, double b) => a > b; }
internal struct GGe : IGpuCompare { public bool F(float a, float b) => a >= b; public bool D(double a, double b) => a >= b; }

/// <summary>The GPU twin of each CPU op struct; ops without one are not ported.</summary>
internal static class GpuOpTable
{
    private static readonly Dictionary<Type, Type> Twins = new()
    {
        [typeof(NegOp)] = typeof(GNeg), [typeof(AbsOp)] = typeof(GAbs), [typeof(SquareOp)] = typeof(GSquare), [typeof(SignOp)] = typeof(GSign),
        [typeof(ReluOp)] = typeof(GRelu), [typeof(ExpOp)] = typeof(GExp), [typeof(LogOp)] = typeof(GLog), [typeof(Log2Op)] = typeof(GLog2),
        [typeof(Log10Op)] = typeof(GLog10), [typeof(Log1pOp)] = typeof(GLog1p), [typeof(Expm1Op)] = typeof(GExpm1), [typeof(SqrtOp)] = typeof(GSqrt),
        [typeof(RsqrtOp)] = typeof(GRsqrt), [typeof(ReciprocalOp)] = typeof(GReciprocal), [typeof(FloorOp)] = typeof(GFloor), [typeof(CeilOp)] = typeof(GCeil),
        [typeof(RoundOp)] = typeof(GRound), [typeof(TruncOp)] = typeof(GTrunc), [typeof(SinOp)] = typeof(GSin), [typeof(CosOp)] = typeof(GCos),
        [typeof(TanOp)] = typeof(GTan), [typeof(AsinOp)] = typeof(GAsin), [typeof(AcosOp)] = typeof(GAcos), [typeof(AtanOp)] = typeof(GAtan),
        [typeof(SinhOp)] = typeof(GSinh), [typeof(CoshOp)] = typeof(GCosh), [typeof(TanhOp)] = typeof(GTanh), [typeof(AsinhOp)] = typeof(GAsinh),
        [typeof(AcoshOp)] = typeof(GAcosh), [typeof(AtanhOp)] = typeof(GAtanh), [typeof(SigmoidOp)] = typeof(GSigmoid), [typeof(SoftplusOp)] = typeof(GSoftplus),
        [typeof(SiluOp)] = typeof(GSilu), [typeof(GeluOp)] = typeof(GGelu), [typeof(ErfOp)] = typeof(GErf),
        [typeof(AddOp)] = typeof(GAdd), [typeof(SubOp)] = typeof(GSub), [typeof(MulOp)] = typeof(GMul), [typeof(DivOp)] = typeof(GDiv),
        [typeof(MaximumOp)] = typeof(GMaximum), [typeof(MinimumOp)] = typeof(GMinimum), [typeof(FmodOp)] = typeof(GFmod), [typeof(RemainderOp)] = typeof(GRemainder),
        [typeof(PowOp)] = typeof(GPow), [typeof(Atan2Op)] = typeof(GAtan2),
        [typeof(EqOp)] = typeof(GEq), [typeof(NeOp)] = typeof(GNe), [typeof(LtOp)] = typeof(GLt), [typeof(LeOp)] = typeof(GLe),
        [typeof(GtOp)] = typeof(GGt), [typeof(GeOp)] = typeof(GGe),
    };

    /// <summary>The GPU op for CPU op <paramref name="cpuOp"/>, or a NotSupportedException naming op and device.</summary>
    internal static Type Twin(Type cpuOp, Device device) =>
        Twins.TryGetValue(cpuOp, out var t) ? t
        : throw new NotSupportedException($"{cpuOp.Name.Replace("Op", "")} is not supported on {device}: the GPU backend has no kernel for it; move the tensors to the CPU with .To(Device.Cpu)");

    /// <summary>The op's display name (AddOp → Add).</summary>
    internal static string Name(Type cpuOp) => cpuOp.Name.Replace("Op", "");
}
