using System.Globalization;
using System.Text;

namespace RlPlat.Experiments.Output;

/// <summary>The <c>report.md</c> written at the end of <c>rlplat run</c>: one table row per experiment.</summary>
public static class RunReport
{
    /// <summary>The Markdown text of the report.</summary>
    public static string Markdown(IReadOnlyList<ExperimentSummary> experiments, DateTime finishedAtUtc)
    {
        var md = new StringBuilder();
        md.Append("# rlplat run report\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Finished {finishedAtUtc:yyyy-MM-dd HH:mm:ss} UTC. Returns are mean ± std over seeds; `-` where no run logged one.\n\n");
        md.Append("| experiment | agent | env / connector | seeds | status | final eval return | best eval return | final train return | steps | steps/s | wall time |\n");
        md.Append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var e in experiments)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {e.Experiment} | {e.Agent} | {e.Target} | {e.Seeds.Count} | {StatusText(e)} | {e.FinalEvalReturn?.ToString() ?? "-"} | {e.BestEvalReturn?.ToString() ?? "-"} | {e.FinalTrainReturn?.ToString() ?? "-"} | {e.MeanSteps:0} | {e.MeanStepsPerS:0} | {TimeSpan.FromSeconds(Math.Round(e.TotalWallTimeS)):c} |\n");
        }
        bool anyErrors = false;
        foreach (var e in experiments)
            foreach (var error in e.Errors)
            {
                if (!anyErrors) md.Append("\n## Failures\n\n");
                anyErrors = true;
                md.Append(CultureInfo.InvariantCulture, $"- {e.Experiment}, {error.Replace('\n', ' ')}\n");
            }
        return md.ToString();
    }

    private static string StatusText(ExperimentSummary e)
        => e.Status == "completed" ? "completed" : $"{e.Status} ({e.Completed} ok, {e.Failed} failed, {e.Cancelled} cancelled)";
}
