namespace RlPlat.Experiments.Running;

/// <summary>
/// One training run of one experiment and seed. The agents layer implements it per algorithm and registers it with
/// <see cref="RunTargets"/>; the runner owns everything around it (folders, config, metrics files, summaries, plots).
/// </summary>
public interface IRunTarget
{
    /// <summary>
    /// Trains until the budget (<c>Experiment.Training.TotalSteps</c>) is spent or <see cref="RunContext.Cancel"/> fires,
    /// logging through <see cref="RunContext.Metrics"/>; throwing marks the run failed and the other runs go on.
    /// </summary>
    RunOutcome Run(RunContext context);
}

/// <summary>What a run reports when it returns; null returns are taken from the logged <c>eval_return</c> instead.</summary>
public sealed record RunOutcome(long Steps, double? FinalEvalReturn = null, double? BestEvalReturn = null);

/// <summary>What a run reports as it goes: env steps so far and the mean return of recent episodes (null before the first).</summary>
public readonly record struct RunProgress(long Steps, double? RecentMeanReturn);

/// <summary>Identifies one run: an experiment and a seed.</summary>
public readonly record struct RunKey(string Experiment, int Seed)
{
    /// <summary>experiment/seed, as the run folder is laid out.</summary>
    public override string ToString() => $"{Experiment}/{Seed}";
}
