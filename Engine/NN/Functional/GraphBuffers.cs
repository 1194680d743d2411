namespace RlPlat.Engine.NN;

/// <summary>
/// Reused arrays, per thread, for the results inside a layer stack that no user code can see: under no-grad two
/// ping-pong workspaces (a layer reads one and writes the other), and in a training step the stack's intermediate
/// outputs and the gradients flowing into them, which the backward pass hands back once it has read them. At RL sizes
/// ([64, 256] floats) each of these is 64 KB that would otherwise be a fresh allocation every step.
/// </summary>
internal static class GraphBuffers
{
    /// <summary>Arrays kept per size: a few layer stacks' worth.</summary>
    private const int MaxPerSize = 16;

    [ThreadStatic] private static Dictionary<(DType, int), Stack<Array>>? free;
    [ThreadStatic] private static Array?[]? workspaces;

    /// <summary>A contiguous [rows, cols] graph-owned tensor over a recycled array (contents undefined).</summary>
    internal static Tensor Rent(DType dtype, int rows, int cols)
    {
        int length = rows * cols;
        Array? array = null;
        if (free != null && free.TryGetValue((dtype, length), out var stack) && stack.Count > 0) array = stack.Pop();
        array ??= dtype == DType.Float32 ? GC.AllocateUninitializedArray<float>(length) : GC.AllocateUninitializedArray<double>(length);
        return new Tensor(new Storage(array, dtype), [rows, cols], [cols, 1], 0) { graphOwned = true };
    }

    /// <summary>Takes back the array of a graph-owned tensor (no-op for any other); the tensor must not be read again.</summary>
    internal static void Return(Tensor t)
    {
        if (!t.graphOwned) return;
        t.graphOwned = false;
        var array = t.storage.Data;
        free ??= [];
        var key = (t.DType, array.Length);
        if (!free.TryGetValue(key, out var stack)) free[key] = stack = new Stack<Array>();
        if (stack.Count < MaxPerSize) stack.Push(array);
    }

    /// <summary>
    /// A [rows, cols] tensor over this thread's no-grad workspace number <paramref name="slot"/> (0 or 1), for a
    /// layer's output that only the next fused layer reads before the slot is written again.
    /// </summary>
    internal static Tensor Workspace(DType dtype, int rows, int cols, int slot)
    {
        workspaces ??= new Array?[4];
        int index = slot * 2 + (dtype == DType.Float32 ? 0 : 1);
        int length = rows * cols;
        var array = workspaces[index];
        if (array == null || array.Length < length)
            workspaces[index] = array = dtype == DType.Float32 ? new float[length] : new double[length];
        return new Tensor(new Storage(array, dtype), [rows, cols], [cols, 1], 0);
    }
}
