using ScottPlot;

namespace RlPlat.Experiments.Output;

/// <summary>Learning curves as PNG (ScottPlot, headless): one run's returns over steps, or the mean and spread over seeds.</summary>
public static class CurvePlot
{
    private const int Width = 900, Height = 540;

    /// <summary>
    /// Renders a run's <c>episode_return</c> (and <c>eval_return</c> points, where logged) from its metrics to
    /// <paramref name="pngPath"/>; returns false, writing nothing, when the metrics hold neither.
    /// </summary>
    public static bool RenderRun(MetricsTable metrics, string title, string pngPath)
    {
        var plot = NewPlot(title);
        bool any = false;
        foreach (var (column, label) in new[] { ("episode_return", "train return"), ("eval_return", "eval return") })
        {
            var (xs, ys) = Finite(metrics.Steps, metrics.Column(column));
            if (xs.Length == 0) continue;
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = label;
            line.MarkerSize = column == "eval_return" ? 6 : 0;
            any = true;
        }
        return any && Save(plot, pngPath);
    }

    /// <summary>Renders the mean over seeds with a band of one standard deviation; returns false when there is nothing to draw.</summary>
    public static bool RenderAggregate(SeedCurve curve, string title, string pngPath)
    {
        if (curve.Steps.Length == 0) return false;
        var plot = NewPlot(title);
        var upper = new double[curve.Steps.Length];
        var lower = new double[curve.Steps.Length];
        for (int i = 0; i < upper.Length; i++)
        {
            upper[i] = curve.Mean[i] + curve.Std[i];
            lower[i] = curve.Mean[i] - curve.Std[i];
        }
        var band = plot.Add.FillY(curve.Steps, upper, lower);
        band.LegendText = "± 1 std";
        var mean = plot.Add.Scatter(curve.Steps, curve.Mean);
        mean.MarkerSize = 0;
        mean.LegendText = $"mean {curve.Metric} over {curve.Seeds} seed(s)";
        return Save(plot, pngPath);
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("env steps");
        plot.YLabel("return");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static bool Save(Plot plot, string pngPath)
    {
        var bytes = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.WriteBytes(pngPath, bytes);
        return true;
    }

    /// <summary>The (step, value) pairs where the value is a finite number.</summary>
    internal static (double[] Xs, double[] Ys) Finite(long[] steps, double[]? values)
    {
        if (values is null) return ([], []);
        int n = 0;
        foreach (var v in values) if (double.IsFinite(v)) n++;
        var xs = new double[n];
        var ys = new double[n];
        for (int i = 0, j = 0; i < values.Length; i++)
            if (double.IsFinite(values[i])) { xs[j] = steps[i]; ys[j++] = values[i]; }
        return (xs, ys);
    }
}

/// <summary>A metric averaged over seeds on a common step grid.</summary>
public sealed record SeedCurve(string Metric, int Seeds, double[] Steps, double[] Mean, double[] Std)
{
    /// <summary>Points on the common grid.</summary>
    public const int GridPoints = 100;

    /// <summary>
    /// Averages <paramref name="metric"/> over runs: each run's curve is linearly interpolated onto a grid spanning the
    /// steps every run reached, so a seed that stopped early does not drag the mean down past its end.
    /// </summary>
    public static SeedCurve From(IReadOnlyList<MetricsTable> runs, string metric)
    {
        var curves = new List<(double[] Xs, double[] Ys)>();
        double start = double.MinValue, end = double.MaxValue;
        foreach (var run in runs)
        {
            var (xs, ys) = CurvePlot.Finite(run.Steps, run.Column(metric));
            if (xs.Length == 0) continue;
            curves.Add((xs, ys));
            start = Math.Max(start, xs[0]);
            end = Math.Min(end, xs[^1]);
        }
        if (curves.Count == 0 || end < start) return new SeedCurve(metric, curves.Count, [], [], []);
        int points = end == start ? 1 : GridPoints;
        var grid = new double[points];
        var mean = new double[points];
        var std = new double[points];
        for (int i = 0; i < points; i++)
        {
            grid[i] = points == 1 ? start : start + (end - start) * i / (points - 1);
            double sum = 0, sumSq = 0;
            foreach (var (xs, ys) in curves)
            {
                double v = Interpolate(xs, ys, grid[i]);
                sum += v;
                sumSq += v * v;
            }
            mean[i] = sum / curves.Count;
            std[i] = Math.Sqrt(Math.Max(0, sumSq / curves.Count - mean[i] * mean[i]));
        }
        return new SeedCurve(metric, curves.Count, grid, mean, std);
    }

    /// <summary>Linear interpolation of (xs, ys) at x; xs ascending; clamps outside the range.</summary>
    internal static double Interpolate(double[] xs, double[] ys, double x)
    {
        if (x <= xs[0]) return ys[0];
        if (x >= xs[^1]) return ys[^1];
        int hi = Array.BinarySearch(xs, x);
        if (hi >= 0) return ys[hi];
        hi = ~hi;
        int lo = hi - 1;
        double t = (x - xs[lo]) / (xs[hi] - xs[lo]);
        return ys[lo] + t * (ys[hi] - ys[lo]);
    }
}
