namespace RlPlat.Experiments.Running;

/// <summary>How a run ended.</summary>
public static class RunStatus
{
    /// <summary>The run trained to its budget.</summary>
    public const string Completed = "completed";

    /// <summary>The run threw; <see cref="RunSummary.Error"/> says what.</summary>
    public const string Failed = "failed";

    /// <summary>Ctrl+C stopped the run before its budget; <c>--resume</c> continues it.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>The <c>summary.json</c> of one run.</summary>
public sealed record RunSummary
{
    /// <summary>Experiment name.</summary>
    public required string Experiment { get; init; }

    /// <summary>Seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Algorithm name or custom type.</summary>
    public required string Agent { get; init; }

    /// <summary>Env id or connector type.</summary>
    public required string Target { get; init; }

    /// <summary>One of <see cref="RunStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Exception type and message when the run failed; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>Env steps trained (including those before a resume).</summary>
    public required long Steps { get; init; }

    /// <summary>The step budget.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>Seconds of training (summed over resumed sessions).</summary>
    public required double WallTimeS { get; init; }

    /// <summary>Env steps per second in the last session.</summary>
    public required double StepsPerS { get; init; }

    /// <summary>The last evaluation's mean return, or null without evaluations.</summary>
    public double? FinalEvalReturn { get; init; }

    /// <summary>The best evaluation's mean return, or null without evaluations.</summary>
    public double? BestEvalReturn { get; init; }

    /// <summary>The mean return of the last training episodes logged, or null.</summary>
    public double? FinalTrainReturn { get; init; }

    /// <summary>The checkpoint step the last session resumed from, or null for a fresh run.</summary>
    public long? ResumedFromStep { get; init; }

    /// <summary>When the last session started (UTC, ISO 8601).</summary>
    public required DateTime StartedAt { get; init; }

    /// <summary>When the last session ended (UTC, ISO 8601).</summary>
    public required DateTime FinishedAt { get; init; }
}
