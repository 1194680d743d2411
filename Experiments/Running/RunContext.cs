using RlPlat.Experiments.Config;

namespace RlPlat.Experiments.Running;

/// <summary>Everything the runner gives one run.</summary>
public sealed class RunContext
{
    /// <summary>The experiment, every default filled in and command-line overrides applied.</summary>
    public required ResolvedExperiment Experiment { get; init; }

    /// <summary>This run's seed: seed the envs, the networks and every random generator from it.</summary>
    public required int Seed { get; init; }

    /// <summary>The run's folder (<c>runs/&lt;experiment&gt;/&lt;seed&gt;</c>); it exists.</summary>
    public required string RunDir { get; init; }

    /// <summary>Fires on Ctrl+C: stop soon, save what is worth saving, return.</summary>
    public required CancellationToken Cancel { get; init; }

    /// <summary>True with <c>--resume</c>: load <see cref="Checkpoints"/>' latest and continue from its step.</summary>
    public required bool Resume { get; init; }

    /// <summary>Scalars per step (metrics.csv) and events (events.jsonl).</summary>
    public required IMetricsSink Metrics { get; init; }

    /// <summary>Report steps and recent mean return here; cheap enough to call every step.</summary>
    public required IProgress<RunProgress> Progress { get; init; }

    /// <summary>Atomic named blobs under <c>RunDir/checkpoints</c>.</summary>
    public required ICheckpointStore Checkpoints { get; init; }

    /// <summary>
    /// The connector to use, or null for a registered env. Where the runner serves an env in-process
    /// (<c>connector.serve</c>), its options carry the port the server actually bound.
    /// </summary>
    public ConnectorSettings? Connector { get; init; }
}
