using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>Runs compiled fused kernels over flat float32 buffers, split across threads as every kernel is (<see cref="Parallelism"/>).</summary>
public static class FusedLauncher
{
    private static long launched;

    /// <summary>Fused kernels launched so far (one per Map/Sum call, however many threads ran it).</summary>
    public static long KernelsLaunched => Interlocked.Read(ref launched);

    /// <summary>
    /// dst[dstOffset + i] = root(i) for i in [0, n). Input slot k reads <c>inputs[k]</c> from <c>offsets[k]</c>; a
    /// broadcast slot reads that one element for every i. Store nodes (<see cref="ExprNode.Store"/>) slot s write
    /// <c>outputs[s - 1]</c> from <c>outputOffsets[s - 1]</c> in the same pass.
    /// </summary>
    public static void Map(ExprNode root, float[][] inputs, int[] offsets, float[] constants, float[] dst, int dstOffset, int n,
        float[][]? outputs = null, int[]? outputOffsets = null)
    {
        Interlocked.Increment(ref launched);
        if (FusedDebug.Kernels) FusedDebug.Launched("map", root, inputs, offsets, constants, n, 1 + (outputs?.Length ?? 0));
        if (n == 0) return;
        var kernel = FusedCompiler.CompileMap(root);
        var io = new Io(inputs, offsets, BroadcastSlots(root, inputs.Length), constants, outputs, outputOffsets);
        int tasks = Parallelism.TaskCount(n);
        if (tasks == 1) RunMap(kernel, io, dst, dstOffset, 0, n);
        else Parallelism.For(n, tasks, (start, len) => RunMap(kernel, io, dst, dstOffset, start, len));
    }

    /// <summary>What a kernel reads and writes besides its dst: handed to every chunk.</summary>
    private sealed record Io(float[][] Inputs, int[] Offsets, bool[] Broadcast, float[] Constants, float[][]? Outputs, int[]? OutputOffsets);

    /// <summary>Σ root(i) for i in [0, n), accumulated per thread in float and combined in double.</summary>
    public static double Sum(ExprNode root, float[][] inputs, int[] offsets, float[] constants, int n)
    {
        Interlocked.Increment(ref launched);
        if (FusedDebug.Kernels) FusedDebug.Launched("sum", root, inputs, offsets, constants, n, 1);
        if (n == 0) return 0;
        var kernel = FusedCompiler.CompileSum(root);
        var io = new Io(inputs, offsets, BroadcastSlots(root, inputs.Length), constants, null, null);
        int tasks = Parallelism.TaskCount(n);
        if (tasks == 1)
        {
            var frame = Frame(io, 0);
            return kernel(ref frame, n);
        }
        int per = (n + tasks - 1) / tasks;
        var partial = new double[tasks];
        Parallelism.ForEachTask(tasks, t =>
        {
            int start = t * per, len = Math.Min(per, n - start);
            if (len <= 0) return;
            var frame = Frame(io, start);
            partial[t] = kernel(ref frame, len);
        });
        double s = 0;
        foreach (var p in partial) s += p;
        return s;
    }

    private static void RunMap(FusedMap kernel, Io io, float[] dst, int dstOffset, int start, int len)
    {
        var frame = Frame(io, start);
        kernel(ref frame, ref dst[dstOffset + start], len);
    }

    private static FusedFrame Frame(Io io, int start)
    {
        var frame = new FusedFrame();
        for (int k = 0; k < io.Inputs.Length; k++) frame.SetInput(k, io.Inputs[k], io.Offsets[k] + (io.Broadcast[k] ? 0 : start));
        for (int k = 0; k < io.Constants.Length; k++) frame.SetConstant(k, io.Constants[k]);
        if (io.Outputs != null)
            for (int k = 0; k < io.Outputs.Length; k++) frame.SetOutput(k + 1, io.Outputs[k], io.OutputOffsets![k] + start);
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
