using RlPlat.Experiments.Config;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Evaluates a trained run (<c>rlplat eval</c>): <see cref="LayerWiring"/> sets <see cref="Evaluate"/> to
/// <see cref="AgentEvaluation.Evaluate"/> at start-up. While it is unset, <c>rlplat eval</c> reports that plainly.
/// </summary>
public static class RunEvaluation
{
    /// <summary>Loads the latest checkpoint of a run and plays episodes with it.</summary>
    public static Func<EvalRequest, CancellationToken, EvalResult>? Evaluate { get; set; }

    /// <summary>The reason evaluation is not possible now, or null when it is.</summary>
    public static string? WhyUnavailable
        => Evaluate is null ? "no evaluator is set (LayerWiring.Install sets RunEvaluation.Evaluate)" : null;
}

/// <summary>What to evaluate: a run's config and checkpoint, how many episodes, and whether to record RGB frames for a GIF.</summary>
public sealed record EvalRequest(string RunDir, ResolvedExperiment Experiment, Checkpoint Checkpoint, int Episodes, bool Deterministic, bool RecordFrames);

/// <summary>Returns and lengths per episode, and the frames of the first episode when asked for.</summary>
public sealed record EvalResult(IReadOnlyList<double> Returns, IReadOnlyList<int> Lengths, IReadOnlyList<RlPlat.Environments.RenderFrame> Frames);
