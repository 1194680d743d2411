using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RlPlat.Experiments.Output;

namespace RlPlat.Experiments.Running;

/// <summary>
/// The runner's <see cref="IMetricsSink"/>: keeps a run's rows and events in memory (a run logs every
/// <c>log_every_steps</c>, so thousands of rows at most) and republishes <c>metrics.csv</c> and <c>events.jsonl</c>
/// atomically every few seconds and on <see cref="Flush"/>, so the files on disk are always whole.
/// </summary>
public sealed class MetricsWriter : IMetricsSink
{
    /// <summary>File name of the scalar table.</summary>
    public const string MetricsFile = "metrics.csv";

    /// <summary>File name of the event log.</summary>
    public const string EventsFile = "events.jsonl";

    private static readonly TimeSpan PublishEvery = TimeSpan.FromSeconds(5);
    private readonly string dir;
    private readonly Lock gate = new();
    private readonly List<string> rows = [];
    private readonly List<string> events = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly double wallOffset;
    private List<string>? columns;
    private TimeSpan lastPublish;
    private bool dirty;

    /// <summary>The last logged <see cref="MetricKeys.EvalReturn"/>, or null.</summary>
    public double? LastEvalReturn { get; private set; }

    /// <summary>The highest logged <see cref="MetricKeys.EvalReturn"/>, or null.</summary>
    public double? BestEvalReturn { get; private set; }

    /// <summary>The last logged <see cref="MetricKeys.EpisodeReturn"/>, or null.</summary>
    public double? LastEpisodeReturn { get; private set; }

    /// <summary>
    /// A writer for <paramref name="runDir"/>. With <paramref name="resumeFromStep"/>, the rows and events up to that step
    /// are kept (the run continues from a checkpoint there) and wall time continues; without it, the files start empty.
    /// </summary>
    public MetricsWriter(string runDir, long? resumeFromStep = null)
    {
        dir = runDir;
        Directory.CreateDirectory(dir);
        if (resumeFromStep is { } upTo) wallOffset = Carry(upTo);
        dirty = true;
        Flush();
    }

    /// <inheritdoc/>
    public void Log(long step, IReadOnlyDictionary<string, double> scalars)
    {
        lock (gate)
        {
            double wall = Wall();
            if (columns is null)
            {
                columns = [];
                foreach (var key in scalars.Keys)
                {
                    CheckKey(key);
                    columns.Add(key);
                }
            }
            var line = new StringBuilder();
            line.Append(step.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Format(wall));
            foreach (var column in columns)
            {
                line.Append(',');
                if (scalars.TryGetValue(column, out var v)) line.Append(Format(v));
            }
            rows.Add(line.ToString());

            Dictionary<string, object?>? extra = null;
            foreach (var (key, value) in scalars)
            {
                if (columns.Contains(key)) continue;
                CheckKey(key);
                (extra ??= [])[key] = value;
            }
            if (extra is not null) AddEvent(step, wall, "metrics", extra);

            if (scalars.TryGetValue(MetricKeys.EvalReturn, out var eval) && double.IsFinite(eval))
            {
                LastEvalReturn = eval;
                BestEvalReturn = BestEvalReturn is { } best ? Math.Max(best, eval) : eval;
            }
            if (scalars.TryGetValue(MetricKeys.EpisodeReturn, out var ret) && double.IsFinite(ret)) LastEpisodeReturn = ret;
            dirty = true;
            if (clock.Elapsed - lastPublish >= PublishEvery) Publish();
        }
    }

    /// <inheritdoc/>
    public void Event(long step, string kind, IReadOnlyDictionary<string, object?>? payload = null)
    {
        if (string.IsNullOrWhiteSpace(kind)) throw new ArgumentException($"event kind must be a non-empty name, got '{kind}'", nameof(kind));
        lock (gate)
        {
            AddEvent(step, Wall(), kind, payload);
            dirty = true;
        }
    }

    /// <summary>Writes both files now (atomically).</summary>
    public void Flush()
    {
        lock (gate) Publish();
    }

    private void Publish()
    {
        if (!dirty) return;
        var header = new StringBuilder(MetricKeys.Step).Append(',').Append(MetricKeys.WallTime);
        foreach (var c in columns ?? []) header.Append(',').Append(c);
        var csv = new StringBuilder().Append(header).Append('\n');
        foreach (var row in rows) csv.Append(row).Append('\n');
        AtomicFile.WriteText(Path.Combine(dir, MetricsFile), csv.ToString());
        var jsonl = new StringBuilder();
        foreach (var e in events) jsonl.Append(e).Append('\n');
        AtomicFile.WriteText(Path.Combine(dir, EventsFile), jsonl.ToString());
        lastPublish = clock.Elapsed;
        dirty = false;
    }

    private void AddEvent(long step, double wall, string kind, IReadOnlyDictionary<string, object?>? payload)
    {
        var record = new Dictionary<string, object?> { ["step"] = step, ["wall_time"] = wall, ["kind"] = kind };
        if (payload is not null)
            foreach (var (key, value) in payload)
            {
                if (record.ContainsKey(key)) throw new ArgumentException($"event '{kind}' payload key '{key}' clashes with a field the log writes itself (step, wall_time, kind)", nameof(payload));
                record[key] = value;
            }
        events.Add(JsonSerializer.Serialize(record, Json.Line));
    }

    /// <summary>Keeps the rows and events at or before <paramref name="upTo"/>; returns the wall time reached there.</summary>
    private double Carry(long upTo)
    {
        double wall = 0;
        var csvPath = Path.Combine(dir, MetricsFile);
        if (File.Exists(csvPath))
        {
            var table = MetricsTable.Read(csvPath);
            if (table.Columns.Count > 2) columns = [.. table.Columns.Skip(2)];
            var lines = File.ReadAllLines(csvPath);
            for (int i = 0; i < table.Steps.Length; i++)
                if (table.Steps[i] <= upTo)
                {
                    rows.Add(lines[i + 1]);
                    wall = Math.Max(wall, table.Column(MetricKeys.WallTime)![i]);
                    var eval = table.Column(MetricKeys.EvalReturn)?[i];
                    if (eval is { } e && double.IsFinite(e))
                    {
                        LastEvalReturn = e;
                        BestEvalReturn = BestEvalReturn is { } b ? Math.Max(b, e) : e;
                    }
                    var ret = table.Column(MetricKeys.EpisodeReturn)?[i];
                    if (ret is { } r && double.IsFinite(r)) LastEpisodeReturn = r;
                }
        }
        var eventsPath = Path.Combine(dir, EventsFile);
        if (File.Exists(eventsPath))
            foreach (var line in File.ReadAllLines(eventsPath))
            {
                if (line.Length == 0) continue;
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.GetProperty("step").GetInt64() <= upTo) events.Add(line);
            }
        return wall;
    }

    private double Wall() => wallOffset + clock.Elapsed.TotalSeconds;

    private static void CheckKey(string key)
    {
        if (key.Length == 0 || key.AsSpan().IndexOfAny(",\"\r\n") >= 0 || key is MetricKeys.Step or MetricKeys.WallTime)
            throw new ArgumentException($"metric name '{key}' must be non-empty, without commas, quotes or newlines, and not 'step' or 'wall_time'", nameof(key));
    }

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
