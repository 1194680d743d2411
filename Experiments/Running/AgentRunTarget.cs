using RlPlat.Agents;
using RlPlat.Agents.Algorithms;
using RlPlat.Agents.Training;
using RlPlat.Connectors.Plugins;
using RlPlat.Environments;
using RlPlat.Experiments.Config;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Trains an <see cref="IAgent"/> (a built-in algorithm, or a custom type named in YAML) on the experiment's env or
/// connector, wrapped by its <c>wrappers</c>: logs episodes, learner metrics and evaluations, and checkpoints everything a
/// resume needs to continue exactly (the agent's whole state, the env action log, the evaluation record). On CPU with one
/// thread a resumed run writes the same metrics as one that was never stopped.
/// </summary>
public sealed class AgentRunTarget(ResolvedExperiment experiment) : IRunTarget
{
    /// <summary>Checkpoint blob holding the agent's <see cref="AgentState"/>.</summary>
    public const string AgentBlob = "agent";

    /// <summary>Checkpoint blob holding the run's own state: the env action log, evaluation record and pending learner metrics.</summary>
    public const string RunBlob = "run";

    private const string ActionsGroup = "env_actions";
    private const string LearnPrefix = "learn.";

    /// <summary>Registers, as run targets, the algorithms that both the YAML schema and the agents layer know.</summary>
    public static void RegisterAll()
    {
        foreach (var name in AgentFactory.Algorithms)
            if (HyperparameterTable.Algorithms.Contains(name)) RunTargets.Register(name, e => new AgentRunTarget(e));
    }

    /// <inheritdoc />
    public RunOutcome Run(RunContext ctx)
    {
        var connectors = new List<IConnector>();
        try
        {
            return Train(experiment, ctx, connectors);
        }
        finally
        {
            foreach (var c in connectors) c.Dispose();
        }
    }

    private static RunOutcome Train(ResolvedExperiment e, RunContext ctx, List<IConnector> connectors)
    {
        using var envs = new EnvBatch(MakeEnvs(e, ctx.Connector, e.NEnvs, connectors, forEvaluation: false));
        using var evalEnvs = new EnvBatch(MakeEnvs(e, ctx.Connector, 1, connectors, forEvaluation: true));
        var inner = CreateAgent(e, envs.Spaces, ctx.Seed);
        if (inner is OffPolicyAgent offPolicy) offPolicy.ReplayTransitionsSaved = e.Checkpoints.ReplayTransitions;

        var log = new ActionLog(envs.NumEnvs * envs.Spaces.ActionSize);
        double? lastEval = null, bestEval = null;
        var pendingLearn = new Dictionary<string, double>();
        if (ctx.Resume && ctx.Checkpoints.Latest() is { } checkpoint && checkpoint.Blobs.TryGetValue(AgentBlob, out var saved))
        {
            inner.SetState(AgentState.FromBytes(saved));
            if (checkpoint.Blobs.TryGetValue(RunBlob, out var runBytes))
            {
                var run = AgentState.FromBytes(runBytes);
                log = ActionLog.FromWeights(run.Group(ActionsGroup));
                // The envs go back to where the checkpoint left them: same seed, same actions.
                log.Replay(envs, ctx.Seed);
                if (run.Scalars.TryGetValue("last_eval", out var l)) lastEval = l;
                if (run.Scalars.TryGetValue("best_eval", out var b)) bestEval = b;
                foreach (var (k, v) in run.Scalars)
                    if (k.StartsWith(LearnPrefix, StringComparison.Ordinal)) pendingLearn[k[LearnPrefix.Length..]] = v;
            }
            else ctx.Metrics.Event(checkpoint.Step, "warning", new Dictionary<string, object?> { ["message"] = "the checkpoint has no env action log (older build); envs restart from a reset" });
        }
        var agent = new RecordedAgent(inner, e.Training.TotalSteps, log);

        var recent = new Queue<double>();
        double recentSum = 0;
        void SaveCheckpoint()
        {
            var run = new AgentState { Algorithm = RunBlob };
            run.Weights[ActionsGroup] = log.ToWeights();
            if (lastEval is { } l) run.Scalars["last_eval"] = l;
            if (bestEval is { } b) run.Scalars["best_eval"] = b;
            foreach (var (k, v) in pendingLearn) run.Scalars[LearnPrefix + k] = v;
            ctx.Checkpoints.Save(agent.NumTimesteps, new Dictionary<string, byte[]> { [AgentBlob] = agent.GetState().ToBytes(), [RunBlob] = run.ToBytes() });
        }
        void Evaluate()
        {
            if (e.Wrappers.Count > 0) EnvWrappers.SyncObservationStatistics(envs[0], evalEnvs[0]);
            var r = Evaluation.Evaluate(agent, evalEnvs, e.Evaluation.Episodes, e.Evaluation.Deterministic, seed: EvaluationSeed(ctx.Seed));
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
                recentSum += ep.Return;
                if (recent.Count > 100) recentSum -= recent.Dequeue();
            },
            Learned = (c, metrics) =>
            {
                foreach (var (k, v) in metrics) pendingLearn[k] = v;
            },
            Step = c =>
            {
                if (ctx.Cancel.IsCancellationRequested) c.RequestStop("cancelled");
                if (c.Crossed(e.Training.LogEverySteps) && pendingLearn.Count > 0)
                {
                    var payload = new Dictionary<string, object?>(pendingLearn.Count);
                    foreach (var (k, v) in pendingLearn) payload[k] = v;
                    ctx.Metrics.Event(c.NumTimesteps, "learn", payload);
                    pendingLearn.Clear();
                }
                if (c.Crossed(e.Evaluation.EverySteps)) Evaluate();
                if (c.Crossed(e.Checkpoints.EverySteps)) SaveCheckpoint();
                ctx.Progress.Report(new RunProgress(c.NumTimesteps, recent.Count > 0 ? recentSum / recent.Count : null));
            },
        };

        long remaining = e.Training.TotalSteps - agent.NumTimesteps;
        if (remaining > 0) Trainer.Train(agent, envs, remaining, [callback], seed: ctx.Seed);
        SaveCheckpoint();
        // A cancelled run stops at a step boundary and its checkpoint is exact; an evaluation here would add a row that
        // the run, once resumed, would not have had.
        if (!ctx.Cancel.IsCancellationRequested) Evaluate();
        return new RunOutcome(agent.NumTimesteps, lastEval, bestEval);
    }

    /// <summary>The seed evaluation episodes start from, apart from the training envs' seeds.</summary>
    internal static int EvaluationSeed(int seed) => seed + 10_000;

    /// <summary>The experiment's agent: a built-in algorithm by name, or a custom type (its assembly loaded first).</summary>
    internal static IAgent CreateAgent(ResolvedExperiment e, AgentSpaces spaces, int seed)
    {
        CustomTypes.LoadAssembly(e.Agent.Assembly);
        return AgentFactory.Create(e.AgentName, Hyperparameters(e), spaces, seed);
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
        // A custom agent gets its own hyperparameters only: it may reject keys it does not know.
        if (e.Agent.Algorithm is null) return hp;
        // Growth while training is implemented by the online learners (OnlineRunTarget); refusing it here keeps a
        // growth schedule from being silently ignored.
        if (e.Network.Growth != null)
            throw new InvalidOperationException($"{e.Name}: network.growth is applied by the online algorithms (online-ac, online-dqn); {e.Agent.Algorithm} trains a fixed network: remove network.growth");
        hp.TryAdd("net_arch", e.Network.Layers.Select(l => (object?)(long)l).ToList());
        hp.TryAdd("activation_fn", e.Network.Activation);
        return hp;
    }

    /// <summary>
    /// The envs of one batch, wrapped; connectors opened for them are added to <paramref name="connectors"/> for disposal.
    /// <paramref name="connector"/> is the run's connector (with the served port filled in) or null for a registered env.
    /// </summary>
    internal static List<IEnv> MakeEnvs(ResolvedExperiment e, ConnectorSettings? connector, int count, List<IConnector> connectors, bool forEvaluation)
    {
        var list = new List<IEnv>(count);
        for (int i = 0; i < count; i++)
        {
            IEnv env;
            if (e.Env != null) env = Gym.Make(e.Env.Id, e.Env.Kwargs);
            else
            {
                var settings = connector ?? e.Connector!;
                CustomTypes.LoadAssembly(settings.Assembly);
                var opened = ConnectorRegistry.Create(settings.Type, settings.Options);
                connectors.Add(opened);
                env = opened.OpenEnv();
            }
            list.Add(EnvWrappers.Apply(env, e.Wrappers, forEvaluation));
        }
        return list;
    }
}
