using RlPlat.Agents;
using RlPlat.Agents.Training;
using RlPlat.Connectors.Plugins;
using RlPlat.Environments;
using RlPlat.Experiments.Config;

namespace RlPlat.Experiments.Running;

/// <summary>
/// <c>rlplat eval</c> for runs trained by <see cref="AgentRunTarget"/> (every built-in algorithm and custom agent types):
/// rebuilds the agent from the run's latest checkpoint and plays episodes on a fresh evaluation env, seeded as the run's
/// own evaluations are. Set as <see cref="RunEvaluation.Evaluate"/> by <see cref="LayerWiring"/>.
/// </summary>
public static class AgentEvaluation
{
    /// <summary>Most frames recorded for a GIF (CartPole's 500 steps fit; longer episodes are cut).</summary>
    public const int MaxFrames = 2000;

    /// <summary>Plays <c>request.Episodes</c> episodes with the checkpointed agent; records the first one's frames when asked.</summary>
    public static EvalResult Evaluate(EvalRequest request, CancellationToken cancel)
    {
        var e = request.Experiment;
        int seed = e.Seeds[0];
        if (!request.Checkpoint.Blobs.TryGetValue(AgentRunTarget.AgentBlob, out var saved))
            throw new InvalidOperationException($"eval: the checkpoint at step {request.Checkpoint.Step} has no '{AgentRunTarget.AgentBlob}' blob (was this run trained by a custom IRunTarget?)");
        var connectors = new List<IConnector>();
        try
        {
            // A connector.serve run is evaluated on the served env itself: same env, no server needed.
            var evaluated = e.Connector?.Serve is { } served ? WithEnv(e, served) : e;
            using var envs = new EnvBatch(AgentRunTarget.MakeEnvs(evaluated, null, 1, connectors, forEvaluation: true));
            var agent = AgentRunTarget.CreateAgent(e, envs.Spaces, seed);
            agent.SetState(AgentState.FromBytes(saved));
            SyncNormalization(evaluated, request.Checkpoint, envs, seed, connectors);
            cancel.ThrowIfCancellationRequested();

            var result = Evaluation.Evaluate(agent, envs, request.Episodes, request.Deterministic, AgentRunTarget.EvaluationSeed(seed));
            var frames = request.RecordFrames ? RecordFirstEpisode(agent, envs, request.Deterministic, AgentRunTarget.EvaluationSeed(seed), cancel) : [];
            return new EvalResult(result.Returns, result.Lengths, frames);
        }
        finally
        {
            foreach (var c in connectors) c.Dispose();
        }
    }

    /// <summary>
    /// Observation statistics live in the training envs' <c>NormalizeObservation</c> wrappers, which checkpoints rebuild
    /// by replaying the run's env action log; the evaluation env then gets them, frozen, as during training.
    /// </summary>
    private static void SyncNormalization(ResolvedExperiment e, Checkpoint checkpoint, EnvBatch evalEnvs, int seed, List<IConnector> connectors)
    {
        bool normalizes = false;
        foreach (var w in e.Wrappers) normalizes |= w.Name == "NormalizeObservation";
        if (!normalizes) return;
        if (!checkpoint.Blobs.TryGetValue(AgentRunTarget.RunBlob, out var runBytes))
            throw new InvalidOperationException($"eval: the checkpoint at step {checkpoint.Step} has no env action log to rebuild the NormalizeObservation statistics from");
        using var training = new EnvBatch(AgentRunTarget.MakeEnvs(e, null, e.NEnvs, connectors, forEvaluation: false));
        ActionLog.FromWeights(AgentState.FromBytes(runBytes).Group("env_actions")).Replay(training, seed);
        EnvWrappers.SyncObservationStatistics(training[0], evalEnvs[0]);
    }

    /// <summary>Plays the first evaluation episode again (same seed, same actions) and renders each state before its action.</summary>
    private static List<RenderFrame> RecordFirstEpisode(IAgent agent, EnvBatch envs, bool deterministic, int seed, CancellationToken cancel)
    {
        var spaces = envs.Spaces;
        var frames = new List<RenderFrame>();
        var actions = new float[spaces.ActionSize];
        var transitions = new TransitionBatch(1, spaces.ObservationSize, spaces.ActionSize, spaces.ActionCount);
        envs.Reset(seed);
        while (frames.Count < MaxFrames && !cancel.IsCancellationRequested)
        {
            if (envs[0].Render() is not { } frame) break;
            frames.Add(frame);
            agent.Act(envs.Observations, 1, actions, deterministic, envs.ActionMasks);
            envs.Step(actions, transitions);
            if (envs.CompletedEpisodes.Length > 0) break;
        }
        return frames;
    }

    private static ResolvedExperiment WithEnv(ResolvedExperiment e, string envId)
    {
        var values = new OrderedDictionary<string, object?>(e.Values)
        {
            ["env"] = new OrderedDictionary<string, object?> { ["id"] = envId, ["kwargs"] = new OrderedDictionary<string, object?>() },
            ["connector"] = null,
        };
        return ResolvedExperiment.FromValues(values, e.Source);
    }
}
