using RlPlat.Experiments.Output;

namespace RlPlat.Experiments.Running;

/// <summary>
/// A metrics sink that passes everything on to <paramref name="inner"/> and also writes every scalar (logged rows, and
/// the numeric fields of events such as <c>learn</c>) to a TensorBoard event file under <c>RunDir/tensorboard</c>.
/// On resume it marks a session start at the checkpoint's step, so TensorBoard drops what the killed session logged after it.
/// </summary>
public sealed class TensorBoardSink : IMetricsSink, IDisposable
{
    /// <summary>The folder, under the run folder, that holds the event files.</summary>
    public const string Folder = "tensorboard";

    private readonly IMetricsSink inner;
    private readonly TfEventsWriter writer;
    private readonly Lock gate = new();
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Writes next to <paramref name="inner"/>; <paramref name="resumeFromStep"/> is the checkpoint step a resumed run continues from.</summary>
    public TensorBoardSink(IMetricsSink inner, string runDir, long? resumeFromStep)
    {
        this.inner = inner;
        writer = new TfEventsWriter(Path.Combine(runDir, Folder), DateTime.UtcNow);
        if (resumeFromStep is { } step) writer.SessionStart(writer.WallTime, step);
    }

    /// <inheritdoc />
    public void Log(long step, IReadOnlyDictionary<string, double> scalars)
    {
        inner.Log(step, scalars);
        lock (gate)
        {
            writer.Scalars(Now(), step, scalars);
            writer.Flush();
        }
    }

    /// <inheritdoc />
    public void Event(long step, string kind, IReadOnlyDictionary<string, object?>? payload = null)
    {
        inner.Event(step, kind, payload);
        if (payload is null) return;
        var numbers = new List<KeyValuePair<string, double>>();
        foreach (var (key, value) in payload)
            if (value is double or float or int or long) numbers.Add(new(key, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)));
        lock (gate)
        {
            writer.Scalars(Now(), step, numbers);
            writer.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate) writer.Dispose();
    }

    private double Now() => writer.WallTime + clock.Elapsed.TotalSeconds;
}
