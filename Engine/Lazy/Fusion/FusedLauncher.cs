namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>Runs compiled fused kernels over flat float32 buffers, split across threads above a size threshold.</summary>
public static class FusedLauncher
{
    /// <summary>Elements per thread below which a kernel runs on the calling thread only.</summary>
    public const int ParallelThreshold = 1 << 18;

    private static long launched;

    /// <summary>Fused kernels launched so far (one per Map/Sum call, however many threads ran it).</summary>
    public static long KernelsLaunched => Interlocked.Read(ref launched);

    /// <summary>
    /// dst[dstOffset + i] = root(i) for i in [0, n). Input slot k reads <c>inputs[k]</c> from <c>offsets[k]</c>; a
    /// broadcast slot reads that one element for every i.
    /// </summary>
    public static void Map(ExprNode root, float[][] inputs, int[] offsets, float[] constants, float[] dst, int dstOffset, int n)
    {
        Interlocked.Increment(ref launched);
        if (n == 0) return;
        var kernel = FusedCompiler.CompileMap(root);
        var broadcast = BroadcastSlots(root, inputs.Length);
        int chunks = Chunks(n);
        if (chunks == 1)
        {
            RunMap(kernel, inputs, offsets, broadcast, constants, dst, dstOffset, 0, n);
            return;
        }
        int per = (n + chunks - 1) / chunks;
        Parallel.For(0, chunks, c =>
        {
            int start = c * per, len = Math.Min(per, n - start);
            if (len > 0) RunMap(kernel, inputs, offsets, broadcast, constants, dst, dstOffset, start, len);
        });
    }

    /// <summary>Σ root(i) for i in [0, n), accumulated per thread in float and combined in double.</summary>
    public static double Sum(ExprNode root, float[][] inputs, int[] offsets, float[] constants, int n)
    {
        Interlocked.Increment(ref launched);
        if (n == 0) return 0;
        var kernel = FusedCompiler.CompileSum(root);
        var broadcast = BroadcastSlots(root, inputs.Length);
        int chunks = Chunks(n);
        int per = (n + chunks - 1) / chunks;
        var partial = new double[chunks];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            int start = c * per, len = Math.Min(per, n - start);
            if (len <= 0) return;
            var frame = Frame(inputs, offsets, broadcast, constants, start);
            partial[c] = kernel(ref frame, len);
        });
        double s = 0;
        foreach (var p in partial) s += p;
        return s;
    }

    private static int Chunks(int n) => n < ParallelThreshold ? 1 : Math.Min(Environment.ProcessorCount, Math.Max(1, n / ParallelThreshold));

    private static void RunMap(FusedMap kernel, float[][] inputs, int[] offsets, bool[] broadcast, float[] constants, float[] dst, int dstOffset, int start, int len)
    {
        var frame = Frame(inputs, offsets, broadcast, constants, start);
        kernel(ref frame, ref dst[dstOffset + start], len);
    }

    private static FusedFrame Frame(float[][] inputs, int[] offsets, bool[] broadcast, float[] constants, int start)
    {
        var frame = new FusedFrame();
        for (int k = 0; k < inputs.Length; k++) frame.SetInput(k, inputs[k], offsets[k] + (broadcast[k] ? 0 : start));
        for (int k = 0; k < constants.Length; k++) frame.SetConstant(k, constants[k]);
        return frame;
    }

    private static bool[] BroadcastSlots(ExprNode root, int count)
    {
        var b = new bool[count];
        Mark(root, b);
        return b;

        static void Mark(ExprNode n, bool[] b)
        {
            if (n.Kind == ExprKind.BroadcastInput) b[n.Slot] = true;
            foreach (var c in n.Children) Mark(c, b);
        }
    }
}
