using ILGPU;

namespace RlPlat.Engine.Backends.Gpu.Kernels;

/// <summary>Reads and writes one device element type through double (the conversions of the CPU's <c>Convert.Cast</c>).</summary>
internal interface IElem<T> where T : unmanaged
{
    double ToD(T x);
    T FromD(double d);
}

internal struct F32 : IElem<float> { public double ToD(float x) => x; public float FromD(double d) => (float)d; }
internal struct F64 : IElem<double> { public double ToD(double x) => x; public double FromD(double d) => d; }
internal struct I32 : IElem<int> { public double ToD(int x) => x; public int FromD(double d) => (int)d; }
internal struct I64 : IElem<long> { public double ToD(long x) => x; public long FromD(double d) => (long)d; }
internal struct U8 : IElem<byte> { public double ToD(byte x) => x; public byte FromD(double d) => (byte)(long)d; }
/// <summary>Bool stored as one byte, 0 or 1 (NaN is true, as NumPy).</summary>
internal struct B8 : IElem<byte> { public double ToD(byte x) => x != 0 ? 1 : 0; public byte FromD(double d) => d != 0 || double.IsNaN(d) ? (byte)1 : (byte)0; }

/// <summary>The elementwise kernels: one thread per output element, operands found through a <see cref="Layout"/>.</summary>
internal static class ElementwiseKernels
{
    public static void UnaryF<TOp>(Index1D i, ArrayView<float> x, ArrayView<float> y, Layout l) where TOp : struct, IGpuUnary
    {
        l.Offsets(i, out int a, out _, out _, out int o);
        y[o] = default(TOp).F(x[a]);
    }

    public static void UnaryD<TOp>(Index1D i, ArrayView<double> x, ArrayView<double> y, Layout l) where TOp : struct, IGpuUnary
    {
        l.Offsets(i, out int a, out _, out _, out int o);
        y[o] = default(TOp).D(x[a]);
    }

    public static void ScalarF<TOp>(Index1D i, ArrayView<float> x, ArrayView<float> y, Layout l, float s, int scalarFirst) where TOp : struct, IGpuBinary
    {
        l.Offsets(i, out int a, out _, out _, out int o);
        y[o] = scalarFirst != 0 ? default(TOp).F(s, x[a]) : default(TOp).F(x[a], s);
    }

    public static void ScalarD<TOp>(Index1D i, ArrayView<double> x, ArrayView<double> y, Layout l, double s, int scalarFirst) where TOp : struct, IGpuBinary
    {
        l.Offsets(i, out int a, out _, out _, out int o);
        y[o] = scalarFirst != 0 ? default(TOp).D(s, x[a]) : default(TOp).D(x[a], s);
    }

    public static void BinaryF<TOp>(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, Layout l) where TOp : struct, IGpuBinary
    {
        l.Offsets(i, out int ia, out int ib, out _, out int o);
        y[o] = default(TOp).F(a[ia], b[ib]);
    }

    public static void BinaryD<TOp>(Index1D i, ArrayView<double> a, ArrayView<double> b, ArrayView<double> y, Layout l) where TOp : struct, IGpuBinary
    {
        l.Offsets(i, out int ia, out int ib, out _, out int o);
        y[o] = default(TOp).D(a[ia], b[ib]);
    }

    public static void CompareF<TOp>(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<byte> y, Layout l) where TOp : struct, IGpuCompare
    {
        l.Offsets(i, out int ia, out int ib, out _, out int o);
        y[o] = default(TOp).F(a[ia], b[ib]) ? (byte)1 : (byte)0;
    }

    public static void CompareD<TOp>(Index1D i, ArrayView<double> a, ArrayView<double> b, ArrayView<byte> y, Layout l) where TOp : struct, IGpuCompare
    {
        l.Offsets(i, out int ia, out int ib, out _, out int o);
        y[o] = default(TOp).D(a[ia], b[ib]) ? (byte)1 : (byte)0;
    }

    public static void Copy<T>(Index1D i, ArrayView<T> x, ArrayView<T> y, Layout l) where T : unmanaged
    {
        l.Offsets(i, out int a, out _, out _, out int o);
        y[o] = x[a];
    }

    public static void Convert<TS, TD, ES, ED>(Index1D i, ArrayView<TS> x, ArrayView<TD> y, Layout l)
        where TS : unmanaged where TD : unmanaged where ES : struct, IElem<TS> where ED : struct, IElem<TD>
    {
        l.Offsets(i, out int a, out _, out _, out int o);
        y[o] = default(ED).FromD(default(ES).ToD(x[a]));
    }

    public static void Fill<T>(Index1D i, ArrayView<T> y, Layout l, T value) where T : unmanaged
    {
        l.Offsets(i, out _, out _, out _, out int o);
        y[o] = value;
    }

    public static void Where<T>(Index1D i, ArrayView<byte> mask, ArrayView<T> a, ArrayView<T> b, ArrayView<T> y, Layout l) where T : unmanaged
    {
        l.Offsets(i, out int ia, out int ib, out int ic, out int o);
        y[o] = mask[ic] != 0 ? a[ia] : b[ib];
    }
}
