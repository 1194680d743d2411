namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>
/// Debug output of the fusing JIT, tinygrad style: <c>RLPLAT_DEBUG=2</c> (read once at start-up, or set
/// <see cref="Level"/>) prints every fused kernel to stderr as it is compiled and as it runs, with its expression,
/// inputs and sizes.
/// </summary>
public static class FusedDebug
{
    /// <summary>The debug level: 0 silent, 2 and above print kernels.</summary>
    public static int Level { get; set; } = int.TryParse(Environment.GetEnvironmentVariable("RLPLAT_DEBUG"), out var l) ? l : 0;

    /// <summary>Where the lines go (stderr unless a test redirects it).</summary>
    public static TextWriter Out { get; set; } = Console.Error;

    internal static bool Kernels => Level >= 2;

    internal static void Compiled(long number, string expr, string type) =>
        Out.WriteLine($"[fuse] compile #{number}: {expr}  as  {type}");

    internal static void Launched(string kind, ExprNode root, float[][] inputs, int[] offsets, float[] constants, int n, int outputs)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("[fuse] run ").Append(kind).Append(' ').Append(root).Append("  n=").Append(n);
        for (int k = 0; k < inputs.Length; k++) sb.Append("  In").Append(k).Append("=float32[").Append(inputs[k].Length).Append("]@").Append(offsets[k]);
        for (int k = 0; k < constants.Length; k++) sb.Append("  C").Append(k).Append('=').Append(constants[k].ToString("G9", System.Globalization.CultureInfo.InvariantCulture));
        if (outputs > 1) sb.Append("  outputs=").Append(outputs);
        Out.WriteLine(sb.ToString());
    }
}
