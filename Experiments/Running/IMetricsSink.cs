namespace RlPlat.Experiments.Running;

/// <summary>Where a run logs: scalar rows go to <c>metrics.csv</c>, events to <c>events.jsonl</c>.</summary>
public interface IMetricsSink
{
    /// <summary>
    /// Logs scalars at <paramref name="step"/>. The first call fixes the CSV columns (step, wall_time, then its keys in
    /// order); keys first seen later go to events.jsonl as a "metrics" event. See <see cref="MetricKeys"/> for names the
    /// runner reads.
    /// </summary>
    void Log(long step, IReadOnlyDictionary<string, double> scalars);

    /// <summary>Records an event (a growth step, an evaluation, a warning) with an optional JSON-serializable payload.</summary>
    void Event(long step, string kind, IReadOnlyDictionary<string, object?>? payload = null);
}

/// <summary>Metric names with a meaning to the runner: summaries, plots and the report read them.</summary>
public static class MetricKeys
{
    /// <summary>Env steps so far (first CSV column, written by the sink).</summary>
    public const string Step = "step";

    /// <summary>Seconds since the run started (second CSV column, written by the sink).</summary>
    public const string WallTime = "wall_time";

    /// <summary>Mean return of the training episodes finished since the previous row.</summary>
    public const string EpisodeReturn = "episode_return";

    /// <summary>Mean length of the training episodes finished since the previous row.</summary>
    public const string EpisodeLength = "episode_length";

    /// <summary>Mean return of an evaluation; the summary's final and best eval return come from it.</summary>
    public const string EvalReturn = "eval_return";

    /// <summary>Current learning rate.</summary>
    public const string LearningRate = "learning_rate";

    /// <summary>Policy entropy.</summary>
    public const string Entropy = "entropy";

    /// <summary>Event kind for a change of network structure.</summary>
    public const string GrowthEvent = "growth";
}
