using RlPlat.Experiments.Output;

namespace RlPlat.Experiments.Running;

/// <summary>The layout of the output folder (<c>runs/&lt;experiment&gt;/&lt;seed&gt;/</c>) and the artifacts rendered from it.</summary>
public static class RunFolder
{
    /// <summary>The resolved config of a run.</summary>
    public const string ConfigFile = "config.yaml";

    /// <summary>The summary of a run or of an experiment.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The learning curve of a run or of an experiment.</summary>
    public const string CurveFile = "curve.png";

    /// <summary>The checkpoints folder of a run.</summary>
    public const string CheckpointsDir = "checkpoints";

    /// <summary>The table of all experiments of a <c>rlplat run</c>, at the top of the output folder.</summary>
    public const string ReportFile = "report.md";

    /// <summary>The folder of one run.</summary>
    public static string For(string outDir, RunKey key) => Path.Combine(outDir, key.Experiment, key.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>True when <paramref name="dir"/> is a run folder (it has metrics or a summary with a seed).</summary>
    public static bool IsRun(string dir) => File.Exists(Path.Combine(dir, MetricsWriter.MetricsFile));

    /// <summary>The run folders directly under an experiment folder, in seed order.</summary>
    public static IReadOnlyList<string> RunsOf(string experimentDir)
    {
        var runs = new List<(int Seed, string Dir)>();
        foreach (var d in Directory.GetDirectories(experimentDir))
            if (int.TryParse(Path.GetFileName(d), out int seed) && IsRun(d)) runs.Add((seed, d));
        runs.Sort((a, b) => a.Seed.CompareTo(b.Seed));
        return runs.ConvertAll(r => r.Dir);
    }

    /// <summary>Renders a run's <c>curve.png</c> from its <c>metrics.csv</c>; returns the path, or null when nothing was logged to plot.</summary>
    public static string? RenderRunCurve(string runDir)
    {
        var metrics = MetricsTable.Read(Path.Combine(runDir, MetricsWriter.MetricsFile));
        var title = $"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(runDir).TrimEnd(Path.DirectorySeparatorChar)))} seed {Path.GetFileName(Path.GetFullPath(runDir).TrimEnd(Path.DirectorySeparatorChar))}";
        var png = Path.Combine(runDir, CurveFile);
        return CurvePlot.RenderRun(metrics, title, png) ? png : null;
    }

    /// <summary>
    /// Renders an experiment's aggregate <c>curve.png</c> over its seeds (eval return when every seed logged it, else
    /// training return); returns the path, or null when nothing was logged to plot.
    /// </summary>
    public static string? RenderExperimentCurve(string experimentDir)
    {
        var tables = new List<MetricsTable>();
        foreach (var run in RunsOf(experimentDir)) tables.Add(MetricsTable.Read(Path.Combine(run, MetricsWriter.MetricsFile)));
        if (tables.Count == 0) return null;
        var curve = SeedCurve.From(tables, MetricKeys.EvalReturn);
        if (curve.Seeds < tables.Count || curve.Steps.Length < 2) curve = SeedCurve.From(tables, MetricKeys.EpisodeReturn);
        var png = Path.Combine(experimentDir, CurveFile);
        var name = Path.GetFileName(Path.GetFullPath(experimentDir).TrimEnd(Path.DirectorySeparatorChar));
        return CurvePlot.RenderAggregate(curve, name, png) ? png : null;
    }
}
