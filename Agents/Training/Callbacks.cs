using System.Globalization;

namespace RlPlat.Agents.Training;

/// <summary>
/// Evaluates the agent every <c>everySteps</c> env steps on separate envs (deterministic policy by default), keeps the
/// history and the best mean, and stops training once the mean return reaches <c>rewardThreshold</c> (when given).
/// </summary>
public sealed class EvalCallback(EnvBatch evalEnvs, long everySteps, int episodes = 20, double? rewardThreshold = null, bool deterministic = true, int seed = 12345)
    : ITrainingCallback
{
    private readonly List<(long Step, EvaluationResult Result)> history = [];

    /// <summary>Every evaluation so far: the step it ran at and its result.</summary>
    public IReadOnlyList<(long Step, EvaluationResult Result)> History => history;

    /// <summary>The best mean return seen (negative infinity before the first evaluation).</summary>
    public double BestMeanReturn { get; private set; } = double.NegativeInfinity;

    /// <summary>The step at which the threshold was first reached, or null.</summary>
    public long? ThresholdReachedAt { get; private set; }

    /// <summary>Wall-clock time spent evaluating (so benchmarks can report training time alone).</summary>
    public TimeSpan EvaluationTime { get; private set; }

    /// <summary>Runs after each evaluation (for logging).</summary>
    public Action<long, EvaluationResult>? OnEvaluation { get; init; }

    void ITrainingCallback.OnStep(TrainingContext context)
    {
        if (!context.Crossed(everySteps)) return;
        EvaluateNow(context);
    }

    void ITrainingCallback.OnTrainingEnd(TrainingContext context)
    {
        // A final evaluation unless the last step already had one.
        if (history.Count == 0 || history[^1].Step != context.NumTimesteps) EvaluateNow(context);
    }

    private void EvaluateNow(TrainingContext context)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = Evaluation.Evaluate(context.Agent, evalEnvs, episodes, deterministic, seed + history.Count);
        EvaluationTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        history.Add((context.NumTimesteps, result));
        BestMeanReturn = Math.Max(BestMeanReturn, result.MeanReturn);
        OnEvaluation?.Invoke(context.NumTimesteps, result);
        if (rewardThreshold is double t && result.MeanReturn >= t && ThresholdReachedAt == null)
        {
            ThresholdReachedAt = context.NumTimesteps;
            context.RequestStop($"mean evaluation return {result.MeanReturn.ToString("F1", CultureInfo.InvariantCulture)} >= {t.ToString(CultureInfo.InvariantCulture)} at step {context.NumTimesteps}");
        }
    }
}

/// <summary>Saves the agent's whole state every <c>everySteps</c> env steps as <c>{prefix}_{steps}_steps.agent</c>, atomically.</summary>
public sealed class CheckpointCallback(string directory, long everySteps, string prefix = "agent") : ITrainingCallback
{
    private readonly List<string> saved = [];

    /// <summary>Paths written so far.</summary>
    public IReadOnlyList<string> Saved => saved;

    void ITrainingCallback.OnStep(TrainingContext context)
    {
        if (!context.Crossed(everySteps)) return;
        string path = Path.Combine(directory, $"{prefix}_{context.NumTimesteps}_steps.agent");
        context.Agent.GetState().Save(path);
        saved.Add(path);
    }
}

/// <summary>Stops training once the mean return of the last <c>window</c> training episodes reaches a threshold.</summary>
public sealed class StopOnTrainingReward(double threshold, int window = 100) : ITrainingCallback
{
    private readonly Queue<double> recent = new();
    private double sum;

    void ITrainingCallback.OnEpisodeEnd(TrainingContext context, EpisodeResult episode)
    {
        recent.Enqueue(episode.Return);
        sum += episode.Return;
        if (recent.Count > window) sum -= recent.Dequeue();
        if (recent.Count == window && sum / window >= threshold)
            context.RequestStop($"mean training return over {window} episodes {(sum / window).ToString("F1", CultureInfo.InvariantCulture)} >= {threshold.ToString(CultureInfo.InvariantCulture)}");
    }
}

/// <summary>A callback made of delegates, for custom hooks without a class.</summary>
public sealed class LambdaCallback : ITrainingCallback
{
    /// <summary>Called after every step.</summary>
    public Action<TrainingContext>? Step { get; init; }

    /// <summary>Called at each episode end.</summary>
    public Action<TrainingContext, EpisodeResult>? EpisodeEnd { get; init; }

    /// <summary>Called after each learn with its metrics.</summary>
    public Action<TrainingContext, IReadOnlyDictionary<string, double>>? Learned { get; init; }

    void ITrainingCallback.OnStep(TrainingContext context) => Step?.Invoke(context);

    void ITrainingCallback.OnEpisodeEnd(TrainingContext context, EpisodeResult episode) => EpisodeEnd?.Invoke(context, episode);

    void ITrainingCallback.OnLearn(TrainingContext context, IReadOnlyDictionary<string, double> metrics) => Learned?.Invoke(context, metrics);
}
