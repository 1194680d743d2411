namespace RlPlat.Agents.Training;

/// <summary>
/// The training loop shared by every agent: act on the current observations, step the envs, hand the transitions to
/// the agent, learn when the agent is ready, and call the callbacks. It knows nothing about any algorithm.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="agent"/> on <paramref name="envs"/> until the agent has seen <paramref name="totalTimesteps"/>
    /// env steps or a callback stops it. Envs not yet reset are reset with <paramref name="seed"/>.
    /// </summary>
    public static TrainingContext Train(IAgent agent, EnvBatch envs, long totalTimesteps, IReadOnlyList<ITrainingCallback>? callbacks = null, int? seed = null)
    {
        if (totalTimesteps <= 0) throw new ArgumentException($"Trainer.Train: totalTimesteps {totalTimesteps} must be positive.", nameof(totalTimesteps));
        var spaces = agent.Spaces;
        if (spaces.ObservationSize != envs.Spaces.ObservationSize || spaces.ActionSize != envs.Spaces.ActionSize || spaces.IsDiscrete != envs.Spaces.IsDiscrete || spaces.ActionCount != envs.Spaces.ActionCount)
            throw new ArgumentException($"Trainer.Train: the agent was built for {spaces}, the envs have {envs.Spaces}.");
        callbacks ??= [];
        if (!envs.IsStarted) envs.Reset(seed);

        var context = new TrainingContext(agent, envs, totalTimesteps);
        var transitions = new TransitionBatch(envs.NumEnvs, spaces.ObservationSize, spaces.ActionSize, spaces.ActionCount);
        var actions = new float[envs.NumEnvs * spaces.ActionSize];
        long start = agent.NumTimesteps, end = start + totalTimesteps;

        foreach (var c in callbacks) c.OnTrainingStart(context);
        while (agent.NumTimesteps < end && context.StopReason == null)
        {
            context.PreviousTimesteps = agent.NumTimesteps;
            agent.SetProgressRemaining(1.0 - (double)(agent.NumTimesteps - start) / totalTimesteps);
            agent.Act(envs.Observations, envs.NumEnvs, actions, deterministic: false, envs.ActionMasks);
            envs.Step(actions, transitions);
            agent.Observe(transitions);
            foreach (var episode in envs.CompletedEpisodes)
            {
                context.Episodes++;
                foreach (var c in callbacks) c.OnEpisodeEnd(context, episode);
            }
            if (agent.ReadyToLearn)
            {
                var metrics = agent.Learn();
                context.Updates++;
                foreach (var c in callbacks) c.OnLearn(context, metrics);
            }
            foreach (var c in callbacks) c.OnStep(context);
        }
        foreach (var c in callbacks) c.OnTrainingEnd(context);
        return context;
    }
}
