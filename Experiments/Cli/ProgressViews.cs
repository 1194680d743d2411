using System.Globalization;
using RlPlat.Experiments.Running;
using Spectre.Console;

namespace RlPlat.Experiments.Cli;

/// <summary>A display of runs in progress: it follows the runner's events and shows them until the runner's task ends.</summary>
internal interface IProgressView : IRunObserver
{
    /// <summary>Shows progress until <paramref name="work"/> completes (on the calling thread).</summary>
    void ShowUntil(Task work);
}

/// <summary>Formats a run's progress the same way in both views.</summary>
internal static class ProgressText
{
    public static string Steps(ProgressSnapshot s) => $"{s.Steps.ToString("N0", CultureInfo.InvariantCulture)}/{s.TotalSteps.ToString("N0", CultureInfo.InvariantCulture)}";
    public static string Rate(ProgressSnapshot s) => s.StepsPerSecond.ToString("0", CultureInfo.InvariantCulture);
    public static string Return(double? r) => r is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "-";
    public static string Eta(ProgressSnapshot s) => s.Eta is { } eta ? Duration(eta) : "-";
    public static string Duration(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    public static string Line(ProgressSnapshot s)
        => $"[{s.Key}] {Steps(s)} steps  {Rate(s)} steps/s  return {Return(s.RecentMeanReturn)}  eta {Eta(s)}";

    public static string Finished(RunSummary r)
        => $"[{r.Experiment}/{r.Seed}] {r.Status}: {r.Steps.ToString("N0", CultureInfo.InvariantCulture)} steps in {Duration(TimeSpan.FromSeconds(r.WallTimeS))}"
           + $", eval return {Return(r.FinalEvalReturn)}, train return {Return(r.FinalTrainReturn)}" + (r.Error is { } e ? $" — {e}" : "");
}

/// <summary>Plain lines for logs and CI: one when a run starts or ends, and a progress line per running run every interval.</summary>
internal sealed class PlainProgressView(TextWriter output, TimeSpan interval) : IProgressView
{
    private readonly Lock gate = new();
    private readonly List<ProgressMeter> running = [];

    public void Started(ProgressMeter meter)
    {
        lock (gate)
        {
            running.Add(meter);
            output.WriteLine($"[{meter.Key}] started ({meter.TotalSteps.ToString("N0", CultureInfo.InvariantCulture)} steps)");
        }
    }

    public void Finished(RunSummary summary)
    {
        lock (gate)
        {
            running.RemoveAll(m => m.Key == new RunKey(summary.Experiment, summary.Seed));
            output.WriteLine(ProgressText.Finished(summary));
        }
    }

    public void Skipped(RunSummary previous)
    {
        lock (gate) output.WriteLine($"[{previous.Experiment}/{previous.Seed}] already completed; skipped (--resume)");
    }

    public void ShowUntil(Task work)
    {
        while (!work.Wait(interval))
            lock (gate)
                foreach (var meter in running) output.WriteLine(ProgressText.Line(meter.Snapshot()));
    }
}

/// <summary>A live table (Spectre.Console) with a row per run: progress bar, steps, steps/s, recent mean return, ETA.</summary>
internal sealed class LiveProgressView : IProgressView
{
    private readonly Lock gate = new();
    private readonly List<(RunKey Key, ProgressMeter? Meter, RunSummary? Done, bool Skipped)> rows = [];

    public void Started(ProgressMeter meter)
    {
        lock (gate) rows.Add((meter.Key, meter, null, false));
    }

    public void Finished(RunSummary summary) => Set(summary, skipped: false);

    public void Skipped(RunSummary previous) => Set(previous, skipped: true);

    private void Set(RunSummary summary, bool skipped)
    {
        var key = new RunKey(summary.Experiment, summary.Seed);
        lock (gate)
        {
            int i = rows.FindIndex(r => r.Key == key);
            if (i >= 0) rows[i] = (key, rows[i].Meter, summary, skipped);
            else rows.Add((key, null, summary, skipped));
        }
    }

    public void ShowUntil(Task work)
    {
        AnsiConsole.Live(Render()).AutoClear(false).Start(ctx =>
        {
            while (!work.Wait(TimeSpan.FromMilliseconds(250))) ctx.UpdateTarget(Render());
            ctx.UpdateTarget(Render());
        });
    }

    private Table Render()
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("run", "progress", "steps", "steps/s", "return", "eta", "status");
        lock (gate)
        {
            foreach (var (key, meter, done, skipped) in rows)
            {
                var s = meter?.Snapshot();
                var status = done is null ? "[blue]running[/]"
                    : skipped ? "[grey]skipped (done)[/]"
                    : done.Status switch { RunStatus.Completed => "[green]completed[/]", RunStatus.Failed => "[red]failed[/]", _ => "[yellow]cancelled[/]" };
                double fraction = done is not null ? (double)done.Steps / Math.Max(1, done.TotalSteps) : s?.Fraction ?? 0;
                table.AddRow(
                    Markup.Escape(key.ToString()),
                    Bar(fraction),
                    s is { } a ? ProgressText.Steps(a) : done!.Steps.ToString("N0", CultureInfo.InvariantCulture),
                    done is not null ? done.StepsPerS.ToString("0", CultureInfo.InvariantCulture) : ProgressText.Rate(s!.Value),
                    ProgressText.Return(done?.FinalTrainReturn ?? s?.RecentMeanReturn),
                    done is not null ? "-" : ProgressText.Eta(s!.Value),
                    status + (done?.Error is { } e ? " " + Markup.Escape(e.Length > 60 ? e[..60] + "…" : e) : ""));
            }
        }
        return table;
    }

    private static string Bar(double fraction)
    {
        const int width = 20;
        int full = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return $"[green]{new string('━', full)}[/][grey]{new string('━', width - full)}[/] {fraction * 100,3:0}%";
    }
}
