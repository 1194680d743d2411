using System.Globalization;
using System.Text;

namespace RlPlat.Engine;

/// <summary>PyTorch-style printing: nested brackets, aligned columns, ... for large tensors, and the shape and dtype.</summary>
internal static class TensorFormatter
{
    private const int Threshold = 1000;
    private const int EdgeItems = 3;

    internal static string Format(Tensor t)
    {
        // Debuggers and logs call ToString on anything: a disposed tensor says so instead of throwing.
        if (t.IsDisposed) return $"tensor(<disposed>, shape={Shape.Format(t.ShapeSpan)}, dtype={t.DType.Name()})";
        var c = t.Detach().Contiguous();
        bool summarize = c.Numel > Threshold;
        var values = c.Numel == 0 ? [] : c.To(DType.Float64).ToArray<double>();
        var fmt = ChooseFormat(c, values, summarize);
        int width = 0;
        foreach (var i in VisibleIndices(c, summarize)) width = Math.Max(width, fmt(values[i]).Length);
        var sb = new StringBuilder("tensor(");
        if (c.Rank == 0) sb.Append(fmt(values[0]));
        else AppendDim(sb, c, values, 0, 0, fmt, width, summarize, "tensor(".Length);
        sb.Append(", shape=").Append(Shape.Format(t.ShapeSpan)).Append(", dtype=").Append(t.DType.Name());
        if (t.IsOnGpu) sb.Append(", device=").Append(t.Device);
        if (t.GradFn != null) sb.Append(", grad_fn=").Append(t.GradFn.Name);
        else if (t.RequiresGrad) sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private static IEnumerable<int> VisibleIndices(Tensor c, bool summarize)
    {
        if (!summarize)
        {
            for (int i = 0; i < c.Numel; i++) yield return i;
            yield break;
        }
        // Good enough for width: the first and last EdgeItems of the flat array.
        for (int i = 0; i < Math.Min(EdgeItems, c.Numel); i++) yield return i;
        for (int i = Math.Max(0, c.Numel - EdgeItems); i < c.Numel; i++) yield return i;
    }

    private static Func<double, string> ChooseFormat(Tensor c, double[] values, bool summarize)
    {
        var inv = CultureInfo.InvariantCulture;
        if (c.DType == DType.Bool) return v => v != 0 ? "True" : "False";
        if (!c.DType.IsFloat()) return v => ((long)v).ToString(inv);
        bool allInt = true;
        double maxAbs = 0, minAbs = double.MaxValue;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            if (v != Math.Floor(v)) allInt = false;
            double a = Math.Abs(v);
            maxAbs = Math.Max(maxAbs, a);
            if (a > 0) minAbs = Math.Min(minAbs, a);
        }
        static string Special(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        if (allInt && maxAbs < 1e8) return v => double.IsFinite(v) ? v.ToString("0", inv) + "." : Special(v);
        if (maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs != double.MaxValue) || maxAbs / Math.Max(minAbs, 1e-300) > 1e3 && minAbs < 1e-2)
            return v => double.IsFinite(v) ? v.ToString("0.0000e+00", inv) : Special(v);
        return v => double.IsFinite(v) ? v.ToString("0.0000", inv) : Special(v);
    }

    private static void AppendDim(StringBuilder sb, Tensor c, double[] values, int dim, int start, Func<double, string> fmt, int width, bool summarize, int indent)
    {
        int n = c.ShapeSpan[dim];
        int stride = 1;
        for (int d = dim + 1; d < c.Rank; d++) stride *= c.ShapeSpan[d];
        sb.Append('[');
        bool elide = summarize && n > 2 * EdgeItems;
        bool first = true;
        for (int i = 0; i < n; i++)
        {
            if (elide && i == EdgeItems)
            {
                sb.Append(dim == c.Rank - 1 ? ", ..." : ",\n" + new string(' ', indent + 1) + "...");
                i = n - EdgeItems - 1;
                continue;
            }
            if (!first)
            {
                if (dim == c.Rank - 1) sb.Append(", ");
                else sb.Append(',').Append('\n', c.Rank - 1 - dim).Append(' ', indent + 1);
            }
            first = false;
            if (dim == c.Rank - 1) sb.Append(fmt(values[start + i]).PadLeft(width));
            else AppendDim(sb, c, values, dim + 1, start + i * stride, fmt, width, summarize, indent + 1);
        }
        sb.Append(']');
    }
}

public sealed partial class Tensor
{
    /// <summary>PyTorch-style text of the values (elided when large), shape and dtype.</summary>
    public override string ToString() => TensorFormatter.Format(this);
}
