using System.Numerics;
using System.Runtime.CompilerServices;
using RlPlat.Engine.Backends.Gpu;

namespace RlPlat.Engine.Kernels;

/// <summary>
/// Runs elementwise op structs over strided, broadcast operands. Contiguous operands take one vectorized call;
/// otherwise rows with unit inner stride are vectorized and the rest loop per element.
/// </summary>
internal static class Elementwise
{
    // ---------- unary ----------

    private struct NumericUnaryRow<T, TOp> : IRowOp2 where T : unmanaged, INumber<T> where TOp : INumericUnaryOp
    {
        public static int Cost => TOp.Cost;
        public T[] X, Y;
        public void Row(int o0, int s0, int o1, int s1, int n)
        {
            if (s0 == 1 && s1 == 1) { TOp.Apply<T>(X.AsSpan(o0, n), Y.AsSpan(o1, n)); return; }
            for (int i = 0; i < n; i++) Y[o1 + i * s1] = TOp.Apply(X[o0 + i * s0]);
        }
    }

    private struct FloatUnaryRow<T, TOp> : IRowOp2 where T : unmanaged, IFloatingPointIeee754<T> where TOp : IFloatUnaryOp
    {
        public static int Cost => TOp.Cost;
        public T[] X, Y;
        public void Row(int o0, int s0, int o1, int s1, int n)
        {
            if (s0 == 1 && s1 == 1) { TOp.Apply<T>(X.AsSpan(o0, n), Y.AsSpan(o1, n)); return; }
            for (int i = 0; i < n; i++) Y[o1 + i * s1] = TOp.Apply(X[o0 + i * s0]);
        }
    }

    /// <summary>y = op(x) for numeric ops; y is a new contiguous tensor of x's shape and dtype (or <paramref name="into"/>).</summary>
    internal static Tensor NumericUnary<TOp>(Tensor x, Tensor? into = null) where TOp : INumericUnaryOp
    {
        if (x.storage.gpu != null) return GpuElementwise.Unary(typeof(TOp), x, into, floatOnly: false);
        if (into == null && Lazy.LazyGraph.TryUnary<TOp>(x) is { } pending) return pending;
        var y = into ?? Tensor.Uninitialized(x.DType, x.shape);
        if (x.Numel == 0) return y;
        switch (x.DType)
        {
            case DType.Float32: RunUnary(x, y, new NumericUnaryRow<float, TOp> { X = Tensor.ArrayOf<float>(x), Y = Tensor.ArrayOf<float>(y) }); break;
            case DType.Float64: RunUnary(x, y, new NumericUnaryRow<double, TOp> { X = Tensor.ArrayOf<double>(x), Y = Tensor.ArrayOf<double>(y) }); break;
            case DType.Int32: RunUnary(x, y, new NumericUnaryRow<int, TOp> { X = Tensor.ArrayOf<int>(x), Y = Tensor.ArrayOf<int>(y) }); break;
            case DType.Int64: RunUnary(x, y, new NumericUnaryRow<long, TOp> { X = Tensor.ArrayOf<long>(x), Y = Tensor.ArrayOf<long>(y) }); break;
            case DType.UInt8: RunUnary(x, y, new NumericUnaryRow<byte, TOp> { X = Tensor.ArrayOf<byte>(x), Y = Tensor.ArrayOf<byte>(y) }); break;
            default: throw new ArgumentException($"{typeof(TOp).Name.Replace("Op", "")}: not defined for dtype {x.DType.Name()}");
        }
        return y;
    }

    /// <summary>y = op(x) for float ops; integer inputs must be converted by the caller.</summary>
    internal static Tensor FloatUnary<TOp>(Tensor x, Tensor? into = null) where TOp : IFloatUnaryOp
    {
        if (x.storage.gpu != null) return GpuElementwise.Unary(typeof(TOp), x, into, floatOnly: true);
        if (into == null && Lazy.LazyGraph.TryUnary<TOp>(x) is { } pending) return pending;
        var y = into ?? Tensor.Uninitialized(x.DType, x.shape);
        if (x.Numel == 0) return y;
        switch (x.DType)
        {
            case DType.Float32: RunUnary(x, y, new FloatUnaryRow<float, TOp> { X = Tensor.ArrayOf<float>(x), Y = Tensor.ArrayOf<float>(y) }); break;
            case DType.Float64: RunUnary(x, y, new FloatUnaryRow<double, TOp> { X = Tensor.ArrayOf<double>(x), Y = Tensor.ArrayOf<double>(y) }); break;
            default: throw new ArgumentException($"{typeof(TOp).Name.Replace("Op", "")}: needs a float tensor, got {x.DType.Name()}");
        }
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunUnary<TRow>(Tensor x, Tensor y, TRow row) where TRow : struct, IRowOp2
    {
        if (x.IsContiguous && y.IsContiguous) { Linear(row, x.offset, 1, y.offset, x.Numel, x.storage == y.storage); return; }
        StridedLoop.ForEachRow(ref row, x.shape, x.strides, x.offset, y.strides, y.offset);
    }

    /// <summary>One row over contiguous memory; split across threads when it is large (see <see cref="Parallelism"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Linear<TRow>(TRow row, int o0, int s0, int o1, int n, bool inPlace) where TRow : struct, IRowOp2
    {
        int tasks = Parallelism.TaskCount(n, TRow.Cost);
        if (tasks == 1) Chunked(ref row, o0, s0, o1, n, inPlace);
        else LinearParallel(row, o0, s0, o1, n, tasks, inPlace);
    }

    // Separate methods: a lambda that captures parameters allocates its closure at method entry, even when unused.
    private static void LinearParallel<TRow>(TRow row, int o0, int s0, int o1, int n, int tasks, bool inPlace) where TRow : struct, IRowOp2 =>
        Parallelism.For(n, tasks, (start, len) => Chunked(ref row, o0 + start * s0, s0, o1 + start, len, inPlace));

    private static void LinearParallel<TRow>(TRow row, int oa, int sa, int ob, int sb, int oy, int n, int tasks, bool inPlace) where TRow : struct, IRowOp3 =>
        Parallelism.For(n, tasks, (start, len) => Chunked(ref row, oa + start * sa, sa, ob + start * sb, sb, oy + start, len, inPlace));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Linear<TRow>(TRow row, int oa, int sa, int ob, int sb, int oy, int n, bool inPlace) where TRow : struct, IRowOp3
    {
        int tasks = Parallelism.TaskCount(n, TRow.Cost);
        if (tasks == 1) Chunked(ref row, oa, sa, ob, sb, oy, n, inPlace);
        else LinearParallel(row, oa, sa, ob, sb, oy, n, tasks, inPlace);
    }

    // TensorPrimitives writes rows above 256 KB with non-temporal stores, which send the result past the cache to memory.
    // For operands that fit in the cache (an in-place add of 1M floats re-reads the 4 MB it wrote) that made the op 1.5-3x
    // slower than plain stores, so such rows go in chunks below that threshold. Rows beyond the cache keep one call: there
    // the streaming stores save the read of the destination. Except in place: the destination was just read into the cache
    // as an operand, so there is no read to save, and streaming it out cost a 16M in-place add 20% (92 against 117 GB/s
    // in chunks, quiet machine, 2 threads).
    private const int ChunkElements = 16 * 1024, CacheResidentElements = 2 * 1024 * 1024;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Chunked<TRow>(ref TRow row, int o0, int s0, int o1, int n, bool inPlace) where TRow : struct, IRowOp2
    {
        if (n <= ChunkElements || (n > CacheResidentElements && !inPlace)) { row.Row(o0, s0, o1, 1, n); return; }
        for (int i = 0; i < n; i += ChunkElements)
            row.Row(o0 + i * s0, s0, o1 + i, 1, Math.Min(ChunkElements, n - i));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Chunked<TRow>(ref TRow row, int oa, int sa, int ob, int sb, int oy, int n, bool inPlace) where TRow : struct, IRowOp3
    {
        if (n <= ChunkElements || (n > CacheResidentElements && !inPlace)) { row.Row(oa, sa, ob, sb, oy, 1, n); return; }
        for (int i = 0; i < n; i += ChunkElements)
            row.Row(oa + i * sa, sa, ob + i * sb, sb, oy + i, 1, Math.Min(ChunkElements, n - i));
    }

    // ---------- binary ----------

    private struct NumericScalarRow<T, TOp> : IRowOp2 where T : unmanaged, INumber<T> where TOp : INumericBinaryOp
    {
        public static int Cost => TOp.Cost;
        public T[] X, Y;
        public T S;
        public bool ScalarFirst;
        public void Row(int o0, int s0, int o1, int s1, int n)
        {
            if (s0 == 1 && s1 == 1)
            {
                if (ScalarFirst) TOp.Apply<T>(S, X.AsSpan(o0, n), Y.AsSpan(o1, n));
                else TOp.Apply<T>(X.AsSpan(o0, n), S, Y.AsSpan(o1, n));
                return;
            }
            for (int i = 0; i < n; i++) Y[o1 + i * s1] = ScalarFirst ? TOp.Apply(S, X[o0 + i * s0]) : TOp.Apply(X[o0 + i * s0], S);
        }
    }

    /// <summary>y = op(x, s) (or op(s, x)) in x's dtype, without a 0-d operand tensor: the small-op fast path.</summary>
    internal static Tensor NumericScalar<TOp>(Tensor x, double s, bool scalarFirst) where TOp : INumericBinaryOp
    {
        if (x.storage.gpu != null) return GpuElementwise.Scalar(typeof(TOp), x, s, scalarFirst);
        if (Lazy.LazyGraph.TryScalar<TOp>(x, s, scalarFirst) is { } pending) return pending;
        var y = Tensor.Uninitialized(x.DType, x.shape);
        if (x.Numel == 0) return y;
        switch (x.DType)
        {
            case DType.Float32: RunUnary(x, y, new NumericScalarRow<float, TOp> { X = Tensor.ArrayOf<float>(x), Y = Tensor.ArrayOf<float>(y), S = (float)s, ScalarFirst = scalarFirst }); break;
            case DType.Float64: RunUnary(x, y, new NumericScalarRow<double, TOp> { X = Tensor.ArrayOf<double>(x), Y = Tensor.ArrayOf<double>(y), S = s, ScalarFirst = scalarFirst }); break;
            case DType.Int32: RunUnary(x, y, new NumericScalarRow<int, TOp> { X = Tensor.ArrayOf<int>(x), Y = Tensor.ArrayOf<int>(y), S = Convert.Cast<double, int>(s), ScalarFirst = scalarFirst }); break;
            case DType.Int64: RunUnary(x, y, new NumericScalarRow<long, TOp> { X = Tensor.ArrayOf<long>(x), Y = Tensor.ArrayOf<long>(y), S = Convert.Cast<double, long>(s), ScalarFirst = scalarFirst }); break;
            case DType.UInt8: RunUnary(x, y, new NumericScalarRow<byte, TOp> { X = Tensor.ArrayOf<byte>(x), Y = Tensor.ArrayOf<byte>(y), S = Convert.Cast<double, byte>(s), ScalarFirst = scalarFirst }); break;
            default: throw new ArgumentException($"{typeof(TOp).Name.Replace("Op", "")}: not defined for dtype {x.DType.Name()}");
        }
        return y;
    }

    private struct NumericBinaryRow<T, TOp> : IRowOp3 where T : unmanaged, INumber<T> where TOp : INumericBinaryOp
    {
        public static int Cost => TOp.Cost;
        public T[] A, B, Y;
        public void Row(int oa, int sa, int ob, int sb, int oy, int sy, int n)
        {
            if (sy == 1)
            {
                if (sa == 1 && sb == 1) { TOp.Apply<T>(A.AsSpan(oa, n), B.AsSpan(ob, n), Y.AsSpan(oy, n)); return; }
                if (sa == 1 && sb == 0) { TOp.Apply<T>(A.AsSpan(oa, n), B[ob], Y.AsSpan(oy, n)); return; }
                if (sa == 0 && sb == 1) { TOp.Apply<T>(A[oa], B.AsSpan(ob, n), Y.AsSpan(oy, n)); return; }
            }
            for (int i = 0; i < n; i++) Y[oy + i * sy] = TOp.Apply(A[oa + i * sa], B[ob + i * sb]);
        }
    }

    private struct FloatBinaryRow<T, TOp> : IRowOp3 where T : unmanaged, IFloatingPointIeee754<T> where TOp : IFloatBinaryOp
    {
        public static int Cost => TOp.Cost;
        public T[] A, B, Y;
        public void Row(int oa, int sa, int ob, int sb, int oy, int sy, int n)
        {
            for (int i = 0; i < n; i++) Y[oy + i * sy] = TOp.Apply(A[oa + i * sa], B[ob + i * sb]);
        }
    }

    private struct CompareRow<T, TOp> : IRowOp3 where T : unmanaged, INumber<T> where TOp : ICompareOp
    {
        public static int Cost => ElementCost.Compute; // one element at a time
        public T[] A, B;
        public bool[] Y;
        public void Row(int oa, int sa, int ob, int sb, int oy, int sy, int n)
        {
            for (int i = 0; i < n; i++) Y[oy + i * sy] = TOp.Apply(A[oa + i * sa], B[ob + i * sb]);
        }
    }

    /// <summary>y = op(a, b) with broadcasting; a and b must share a dtype (the caller promotes).</summary>
    internal static Tensor NumericBinary<TOp>(Tensor a, Tensor b, int[] shape, Tensor? into = null) where TOp : INumericBinaryOp
    {
        if (a.storage.gpu != null || b.storage.gpu != null) return GpuElementwise.Binary(typeof(TOp), a, b, shape, into, floatOnly: false);
        if (into == null && Lazy.LazyGraph.TryBinary<TOp>(a, b, shape) is { } pending) return pending;
        var y = into ?? Tensor.Uninitialized(a.DType, shape);
        if (y.Numel == 0) return y;
        switch (a.DType)
        {
            case DType.Float32: RunBinary(a, b, y, new NumericBinaryRow<float, TOp> { A = Tensor.ArrayOf<float>(a), B = Tensor.ArrayOf<float>(b), Y = Tensor.ArrayOf<float>(y) }); break;
            case DType.Float64: RunBinary(a, b, y, new NumericBinaryRow<double, TOp> { A = Tensor.ArrayOf<double>(a), B = Tensor.ArrayOf<double>(b), Y = Tensor.ArrayOf<double>(y) }); break;
            case DType.Int32: RunBinary(a, b, y, new NumericBinaryRow<int, TOp> { A = Tensor.ArrayOf<int>(a), B = Tensor.ArrayOf<int>(b), Y = Tensor.ArrayOf<int>(y) }); break;
            case DType.Int64: RunBinary(a, b, y, new NumericBinaryRow<long, TOp> { A = Tensor.ArrayOf<long>(a), B = Tensor.ArrayOf<long>(b), Y = Tensor.ArrayOf<long>(y) }); break;
            case DType.UInt8: RunBinary(a, b, y, new NumericBinaryRow<byte, TOp> { A = Tensor.ArrayOf<byte>(a), B = Tensor.ArrayOf<byte>(b), Y = Tensor.ArrayOf<byte>(y) }); break;
            default: throw new ArgumentException($"{typeof(TOp).Name.Replace("Op", "")}: not defined for dtype {a.DType.Name()}");
        }
        return y;
    }

    /// <summary>y = op(a, b) for float-only ops (pow, atan2).</summary>
    internal static Tensor FloatBinary<TOp>(Tensor a, Tensor b, int[] shape) where TOp : IFloatBinaryOp
    {
        if (a.storage.gpu != null || b.storage.gpu != null) return GpuElementwise.Binary(typeof(TOp), a, b, shape, null, floatOnly: true);
        if (Lazy.LazyGraph.TryBinary<TOp>(a, b, shape) is { } pending) return pending;
        var y = Tensor.Uninitialized(a.DType, shape);
        if (y.Numel == 0) return y;
        switch (a.DType)
        {
            case DType.Float32: RunBinary(a, b, y, new FloatBinaryRow<float, TOp> { A = Tensor.ArrayOf<float>(a), B = Tensor.ArrayOf<float>(b), Y = Tensor.ArrayOf<float>(y) }); break;
            case DType.Float64: RunBinary(a, b, y, new FloatBinaryRow<double, TOp> { A = Tensor.ArrayOf<double>(a), B = Tensor.ArrayOf<double>(b), Y = Tensor.ArrayOf<double>(y) }); break;
            default: throw new ArgumentException($"{typeof(TOp).Name.Replace("Op", "")}: needs float tensors, got {a.DType.Name()}");
        }
        return y;
    }

    /// <summary>A bool tensor of op(a, b) with broadcasting; a and b share a dtype.</summary>
    internal static Tensor Compare<TOp>(Tensor a, Tensor b, int[] shape) where TOp : ICompareOp
    {
        if (a.storage.gpu != null || b.storage.gpu != null) return GpuElementwise.Compare(typeof(TOp), a, b, shape);
        var y = Tensor.Uninitialized(DType.Bool, shape);
        if (y.Numel == 0) return y;
        switch (a.DType)
        {
            case DType.Float32: RunBinary(a, b, y, new CompareRow<float, TOp> { A = Tensor.ArrayOf<float>(a), B = Tensor.ArrayOf<float>(b), Y = Tensor.ArrayOf<bool>(y) }); break;
            case DType.Float64: RunBinary(a, b, y, new CompareRow<double, TOp> { A = Tensor.ArrayOf<double>(a), B = Tensor.ArrayOf<double>(b), Y = Tensor.ArrayOf<bool>(y) }); break;
            case DType.Int32: RunBinary(a, b, y, new CompareRow<int, TOp> { A = Tensor.ArrayOf<int>(a), B = Tensor.ArrayOf<int>(b), Y = Tensor.ArrayOf<bool>(y) }); break;
            case DType.Int64: RunBinary(a, b, y, new CompareRow<long, TOp> { A = Tensor.ArrayOf<long>(a), B = Tensor.ArrayOf<long>(b), Y = Tensor.ArrayOf<bool>(y) }); break;
            case DType.UInt8: RunBinary(a, b, y, new CompareRow<byte, TOp> { A = Tensor.ArrayOf<byte>(a), B = Tensor.ArrayOf<byte>(b), Y = Tensor.ArrayOf<bool>(y) }); break;
            default: throw new ArgumentException($"{typeof(TOp).Name.Replace("Op", "")}: not defined for dtype {a.DType.Name()}");
        }
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunBinary<TRow>(Tensor a, Tensor b, Tensor y, TRow row) where TRow : struct, IRowOp3
    {
        var shape = y.shape;
        bool sameA = a.shape.AsSpan().SequenceEqual(shape), sameB = b.shape.AsSpan().SequenceEqual(shape);
        if (y.IsContiguous)
        {
            bool inPlace = a.storage == y.storage || b.storage == y.storage;
            if (sameA && sameB && a.IsContiguous && b.IsContiguous) { Linear(row, a.offset, 1, b.offset, 1, y.offset, y.Numel, inPlace); return; }
            if (sameA && a.IsContiguous && b.Numel == 1) { Linear(row, a.offset, 1, b.offset, 0, y.offset, y.Numel, inPlace); return; }
            if (sameB && b.IsContiguous && a.Numel == 1) { Linear(row, a.offset, 0, b.offset, 1, y.offset, y.Numel, inPlace); return; }
        }
        StridedLoop.ForEachRow(ref row, shape, StridedLoop.BroadcastStrides(a, shape), a.offset, StridedLoop.BroadcastStrides(b, shape), b.offset, y.strides, y.offset);
    }

    // ---------- copy / convert ----------

    private struct CopyRow<TSrc, TDst> : IRowOp2 where TSrc : unmanaged where TDst : unmanaged
    {
        public TSrc[] X;
        public TDst[] Y;
        public void Row(int o0, int s0, int o1, int s1, int n)
        {
            if (typeof(TSrc) == typeof(TDst) && s0 == 1 && s1 == 1)
            {
                X.AsSpan(o0, n).CopyTo(Unsafe.As<TSrc[]>(Y).AsSpan(o1, n));
                return;
            }
            for (int i = 0; i < n; i++) Y[o1 + i * s1] = Convert.Cast<TSrc, TDst>(X[o0 + i * s0]);
        }
    }

    /// <summary>Copies <paramref name="src"/> (broadcast to dst's shape) into <paramref name="dst"/>, converting dtype.</summary>
    internal static void Copy(Tensor src, Tensor dst)
    {
        if (src.storage.gpu != null || dst.storage.gpu != null) { GpuElementwise.Copy(src, dst); return; }
        if (dst.Numel == 0) return;
        switch (src.DType)
        {
            case DType.Float32: CopyFrom(Tensor.ArrayOf<float>(src), src, dst); break;
            case DType.Float64: CopyFrom(Tensor.ArrayOf<double>(src), src, dst); break;
            case DType.Int32: CopyFrom(Tensor.ArrayOf<int>(src), src, dst); break;
            case DType.Int64: CopyFrom(Tensor.ArrayOf<long>(src), src, dst); break;
            case DType.Bool: CopyFrom(Tensor.ArrayOf<bool>(src), src, dst); break;
            case DType.UInt8: CopyFrom(Tensor.ArrayOf<byte>(src), src, dst); break;
        }
    }

    private static void CopyFrom<TSrc>(TSrc[] x, Tensor src, Tensor dst) where TSrc : unmanaged
    {
        switch (dst.DType)
        {
            case DType.Float32: RunCopy(src, dst, new CopyRow<TSrc, float> { X = x, Y = Tensor.ArrayOf<float>(dst) }); break;
            case DType.Float64: RunCopy(src, dst, new CopyRow<TSrc, double> { X = x, Y = Tensor.ArrayOf<double>(dst) }); break;
            case DType.Int32: RunCopy(src, dst, new CopyRow<TSrc, int> { X = x, Y = Tensor.ArrayOf<int>(dst) }); break;
            case DType.Int64: RunCopy(src, dst, new CopyRow<TSrc, long> { X = x, Y = Tensor.ArrayOf<long>(dst) }); break;
            case DType.Bool: RunCopy(src, dst, new CopyRow<TSrc, bool> { X = x, Y = Tensor.ArrayOf<bool>(dst) }); break;
            case DType.UInt8: RunCopy(src, dst, new CopyRow<TSrc, byte> { X = x, Y = Tensor.ArrayOf<byte>(dst) }); break;
        }
    }

    private static void RunCopy<TRow>(Tensor src, Tensor dst, TRow row) where TRow : struct, IRowOp2
    {
        if (src.IsContiguous && dst.IsContiguous && src.shape.AsSpan().SequenceEqual(dst.shape)) { Linear(row, src.offset, 1, dst.offset, dst.Numel, inPlace: false); return; }
        if (src.Numel == 1 && dst.IsContiguous) { Linear(row, src.offset, 0, dst.offset, dst.Numel, inPlace: false); return; }
        StridedLoop.ForEachRow(ref row, dst.shape, StridedLoop.BroadcastStrides(src, dst.shape), src.offset, dst.strides, dst.offset);
    }
}

/// <summary>Element conversions between storage types with NumPy's casting semantics (truncation toward zero, bool as 0/1).</summary>
internal static class Convert
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TDst Cast<TSrc, TDst>(TSrc x) where TSrc : unmanaged where TDst : unmanaged
    {
        if (typeof(TSrc) == typeof(TDst)) return Unsafe.As<TSrc, TDst>(ref x);
        double d = ToDouble(x);
        if (typeof(TDst) == typeof(float)) { float f = (float)d; return Unsafe.As<float, TDst>(ref f); }
        if (typeof(TDst) == typeof(double)) return Unsafe.As<double, TDst>(ref d);
        if (typeof(TDst) == typeof(int)) { int i = typeof(TSrc) == typeof(long) ? (int)Unsafe.As<TSrc, long>(ref x) : (int)d; return Unsafe.As<int, TDst>(ref i); }
        if (typeof(TDst) == typeof(long)) { long l = typeof(TSrc) == typeof(long) ? Unsafe.As<TSrc, long>(ref x) : (long)d; return Unsafe.As<long, TDst>(ref l); }
        if (typeof(TDst) == typeof(bool)) { bool b = d != 0 || double.IsNaN(d); return Unsafe.As<bool, TDst>(ref b); }
        if (typeof(TDst) == typeof(byte)) { byte u = unchecked((byte)(long)d); return Unsafe.As<byte, TDst>(ref u); }
        throw new InvalidOperationException($"no conversion to {typeof(TDst).Name}");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ToDouble<TSrc>(TSrc x) where TSrc : unmanaged
    {
        if (typeof(TSrc) == typeof(float)) return Unsafe.As<TSrc, float>(ref x);
        if (typeof(TSrc) == typeof(double)) return Unsafe.As<TSrc, double>(ref x);
        if (typeof(TSrc) == typeof(int)) return Unsafe.As<TSrc, int>(ref x);
        if (typeof(TSrc) == typeof(long)) return Unsafe.As<TSrc, long>(ref x);
        if (typeof(TSrc) == typeof(bool)) return Unsafe.As<TSrc, bool>(ref x) ? 1 : 0;
        if (typeof(TSrc) == typeof(byte)) return Unsafe.As<TSrc, byte>(ref x);
        throw new InvalidOperationException($"no conversion from {typeof(TSrc).Name}");
    }
}
