using System.Diagnostics;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Receives a run's progress reports (two field writes per report, so a run may report every step) and turns them
/// into what a display shows: steps/s and ETA measured here, not by the run.
/// </summary>
public sealed class ProgressMeter : IProgress<RunProgress>
{
    private readonly Stopwatch clock = new();
    private readonly long startStep;
    private long steps;
    private double recentReturn = double.NaN;

    /// <summary>The run this meter follows.</summary>
    public RunKey Key { get; }

    /// <summary>The step budget.</summary>
    public long TotalSteps { get; }

    /// <summary>A meter for a run starting at <paramref name="startStep"/> (non-zero when resumed).</summary>
    public ProgressMeter(RunKey key, long totalSteps, long startStep = 0)
    {
        Key = key;
        TotalSteps = totalSteps;
        this.startStep = startStep;
        steps = startStep;
        clock.Start();
    }

    /// <inheritdoc/>
    public void Report(RunProgress value)
    {
        Volatile.Write(ref steps, value.Steps);
        if (value.RecentMeanReturn is { } r) Volatile.Write(ref recentReturn, r);
    }

    /// <summary>What the run looks like now.</summary>
    public ProgressSnapshot Snapshot()
    {
        long s = Volatile.Read(ref steps);
        double elapsed = clock.Elapsed.TotalSeconds;
        double rate = elapsed > 0 ? (s - startStep) / elapsed : 0;
        double r = Volatile.Read(ref recentReturn);
        TimeSpan? eta = rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, TotalSteps - s) / rate) : null;
        return new ProgressSnapshot(Key, s, TotalSteps, rate, double.IsNaN(r) ? null : r, eta, TimeSpan.FromSeconds(elapsed));
    }
}

/// <summary>A run's progress at one moment.</summary>
public readonly record struct ProgressSnapshot(RunKey Key, long Steps, long TotalSteps, double StepsPerSecond, double? RecentMeanReturn, TimeSpan? Eta, TimeSpan Elapsed)
{
    /// <summary>Fraction of the budget done, in [0, 1].</summary>
    public double Fraction => TotalSteps <= 0 ? 0 : Math.Clamp((double)Steps / TotalSteps, 0, 1);
}

/// <summary>Follows runs as they start and end (the console display, or a test's recorder).</summary>
public interface IRunObserver
{
    /// <summary>A run started; poll <paramref name="meter"/> for its progress.</summary>
    void Started(ProgressMeter meter);

    /// <summary>A run ended (completed, failed or cancelled).</summary>
    void Finished(RunSummary summary);

    /// <summary>A run was skipped because <c>--resume</c> found it completed.</summary>
    void Skipped(RunSummary previous);
}
