using RlPlat.Experiments.Config;
using RlPlat.Agents;
using RlPlat.Agents.Training;
using RlPlat.Connectors.Plugins;
using RlPlat.Environments;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Trains a built-in <see cref="IAgent"/> (by algorithm name) on the experiment's env or connector:
/// logs episodes, learner metrics and evaluations, checkpoints the whole agent state, and resumes from the latest checkpoint.
/// </summary>
public sealed class AgentRunTarget(ResolvedExperiment experiment) : IRunTarget
{
    private const string AgentBlob = "agent";

    /// <summary>Registers, as run targets, the algorithms that both the YAML schema and the agents layer know.</summary>
    public static void RegisterAll()
    {
        foreach (var name in AgentFactory.Algorithms)
            if (HyperparameterTable.Algorithms.Contains(name)) RunTargets.Register(name, e => new AgentRunTarget(e));
    }

    /// <inheritdoc />
    public RunOutcome Run(RunContext ctx)
    {
        var e = experiment;
        var connectors = new List<IConnector>();
        try
        {
            return Train(e, ctx, connectors);
        }
        finally
        {
            foreach (var c in connectors) c.Dispose();
        }
    }

    private RunOutcome Train(ResolvedExperiment e, RunContext ctx, List<IConnector> connectors)
    {
        using var envs = new EnvBatch(MakeEnvs(e, ctx, e.NEnvs, connectors));
        using var evalEnvs = e.Evaluation.EverySteps > 0 ? new EnvBatch(MakeEnvs(e, ctx, 1, connectors)) : null;
        var agent = AgentFactory.Create(e.AgentName, Hyperparameters(e), envs.Spaces, ctx.Seed);

        if (ctx.Resume && ctx.Checkpoints.Latest() is { } checkpoint && checkpoint.Blobs.TryGetValue(AgentBlob, out var saved))
            agent.SetState(AgentState.FromBytes(saved));

        long total = e.Training.TotalSteps;
        double? lastEval = null, bestEval = null;
        var recent = new Queue<double>();
        var pendingLearn = new Dictionary<string, double>();
        void SaveCheckpoint() =>
            ctx.Checkpoints.Save(agent.NumTimesteps, new Dictionary<string, byte[]> { [AgentBlob] = agent.GetState().ToBytes() });
        void Evaluate(EnvBatch evalBatch)
        {
            var r = Evaluation.Evaluate(agent, evalBatch, e.Evaluation.Episodes, e.Evaluation.Deterministic, seed: ctx.Seed + 10_000);
            lastEval = r.MeanReturn;
            bestEval = Math.Max(bestEval ?? double.NegativeInfinity, r.MeanReturn);
            ctx.Metrics.Log(agent.NumTimesteps, new Dictionary<string, double> { [MetricKeys.EvalReturn] = r.MeanReturn });
        }
        var callback = new LambdaCallback
        {
            EpisodeEnd = (c, ep) =>
            {
                ctx.Metrics.Log(c.NumTimesteps, new Dictionary<string, double>
                {
                    [MetricKeys.EpisodeReturn] = ep.Return,
                    [MetricKeys.EpisodeLength] = ep.Length,
                });
                recent.Enqueue(ep.Return);
                if (recent.Count > 100) recent.Dequeue();
            },
            Learned = (c, metrics) =>
            {
                foreach (var (k, v) in metrics) pendingLearn[k] = v;
            },
            Step = c =>
            {
                if (ctx.Cancel.IsCancellationRequested) c.RequestStop("cancelled");
                if (e.Training.LogEverySteps > 0 && c.Crossed(e.Training.LogEverySteps) && pendingLearn.Count > 0)
                {
                    ctx.Metrics.Event(c.NumTimesteps, "learn", pendingLearn.ToDictionary(kv => kv.Key, kv => (object?)kv.Value));
                    pendingLearn.Clear();
                }
                if (evalEnvs != null && c.Crossed(e.Evaluation.EverySteps)) Evaluate(evalEnvs);
                if (e.Checkpoints.EverySteps > 0 && c.Crossed(e.Checkpoints.EverySteps)) SaveCheckpoint();
                ctx.Progress.Report(new RunProgress(c.NumTimesteps, recent.Count > 0 ? recent.Average() : null));
            },
        };

        long remaining = total - agent.NumTimesteps;
        if (remaining > 0) Trainer.Train(agent, envs, remaining, [callback], seed: ctx.Seed);
        SaveCheckpoint();
        if (evalEnvs != null) Evaluate(evalEnvs);
        return new RunOutcome(agent.NumTimesteps, lastEval, bestEval);
    }

    /// <summary>The agent's hyperparameters with the YAML <c>network</c> section mapped to rl-zoo's names.</summary>
    private static Dictionary<string, object?> Hyperparameters(ResolvedExperiment e)
    {
        var hp = new Dictionary<string, object?>();
        // Schedules reach the agents as rl-zoo text ("lin_0.001"), which is what their options parse.
        // Only values that differ from the schema's defaults are passed: the agents apply the same rl-zoo defaults, and
        // options the schema lists but an agent does not implement (e.g. use_sde) stay out unless the user sets them.
        var defaults = e.Agent.Algorithm != null ? HyperparameterTable.Defaults(e.Agent.Algorithm) : null;
        foreach (var (k, v) in e.Agent.Hyperparameters.Values)
        {
            if (defaults != null && defaults.TryGetValue(k, out var d) && Equals(d, v)) continue;
            hp[k] = v is Config.Schedule s ? (s.IsConstant ? s.Start : s.ToString()) : v;
        }
        hp.TryAdd("net_arch", e.Network.Layers.Select(l => (object?)(long)l).ToList());
        hp.TryAdd("activation_fn", e.Network.Activation);
        return hp;
    }

    /// <summary>The envs of one batch; connectors opened for them are added to <paramref name="connectors"/> for disposal.</summary>
    private static List<IEnv> MakeEnvs(ResolvedExperiment e, RunContext ctx, int count, List<IConnector> connectors)
    {
        var list = new List<IEnv>(count);
        for (int i = 0; i < count; i++)
        {
            if (e.Env != null) list.Add(Gym.Make(e.Env.Id, e.Env.Kwargs));
            else
            {
                var connector = ctx.Connector ?? e.Connector!;
                var opened = ConnectorRegistry.Create(connector.Type, connector.Options);
                connectors.Add(opened);
                list.Add(opened.OpenEnv());
            }
        }
        return list;
    }
}
