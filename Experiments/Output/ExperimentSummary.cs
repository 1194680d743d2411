using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Output;

/// <summary>The <c>summary.json</c> of an experiment: its seeds' outcomes, and mean and spread of their returns.</summary>
public sealed record ExperimentSummary
{
    /// <summary>Experiment name.</summary>
    public required string Experiment { get; init; }

    /// <summary>Algorithm name or custom type.</summary>
    public required string Agent { get; init; }

    /// <summary>Env id or connector type.</summary>
    public required string Target { get; init; }

    /// <summary>The seeds summarized.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>completed when every seed completed; otherwise failed, or cancelled when none failed.</summary>
    public required string Status { get; init; }

    /// <summary>Runs that completed.</summary>
    public required int Completed { get; init; }

    /// <summary>Runs that failed.</summary>
    public required int Failed { get; init; }

    /// <summary>Runs that were cancelled.</summary>
    public required int Cancelled { get; init; }

    /// <summary>Final eval return over the seeds that have one.</summary>
    public required Spread? FinalEvalReturn { get; init; }

    /// <summary>Best eval return over the seeds that have one.</summary>
    public required Spread? BestEvalReturn { get; init; }

    /// <summary>Final training return over the seeds that have one.</summary>
    public required Spread? FinalTrainReturn { get; init; }

    /// <summary>Mean env steps per run.</summary>
    public required double MeanSteps { get; init; }

    /// <summary>Mean env steps per second per run.</summary>
    public required double MeanStepsPerS { get; init; }

    /// <summary>Training seconds summed over runs.</summary>
    public required double TotalWallTimeS { get; init; }

    /// <summary>Each failed run's seed and error.</summary>
    public required IReadOnlyList<string> Errors { get; init; }

    /// <summary>Summarizes the runs of one experiment (at least one).</summary>
    public static ExperimentSummary From(IReadOnlyList<RunSummary> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("an experiment summary needs at least one run", nameof(runs));
        int completed = 0, failed = 0, cancelled = 0;
        double steps = 0, rate = 0, wall = 0;
        var seeds = new List<int>();
        var errors = new List<string>();
        foreach (var r in runs)
        {
            seeds.Add(r.Seed);
            switch (r.Status)
            {
                case RunStatus.Completed: completed++; break;
                case RunStatus.Failed: failed++; errors.Add($"seed {r.Seed}: {r.Error}"); break;
                default: cancelled++; break;
            }
            steps += r.Steps;
            rate += r.StepsPerS;
            wall += r.WallTimeS;
        }
        return new ExperimentSummary
        {
            Experiment = runs[0].Experiment,
            Agent = runs[0].Agent,
            Target = runs[0].Target,
            Seeds = seeds,
            Status = failed > 0 ? RunStatus.Failed : cancelled > 0 ? RunStatus.Cancelled : RunStatus.Completed,
            Completed = completed,
            Failed = failed,
            Cancelled = cancelled,
            FinalEvalReturn = Spread.Of(runs, r => r.FinalEvalReturn),
            BestEvalReturn = Spread.Of(runs, r => r.BestEvalReturn),
            FinalTrainReturn = Spread.Of(runs, r => r.FinalTrainReturn),
            MeanSteps = steps / runs.Count,
            MeanStepsPerS = rate / runs.Count,
            TotalWallTimeS = wall,
            Errors = errors,
        };
    }
}

/// <summary>Mean, population standard deviation, min and max of a value over seeds, and how many seeds had it.</summary>
public sealed record Spread(double Mean, double Std, double Min, double Max, int Count)
{
    /// <summary>The spread of the non-null values, or null when there are none.</summary>
    public static Spread? Of<T>(IReadOnlyList<T> items, Func<T, double?> value)
    {
        double sum = 0, sumSq = 0, min = double.MaxValue, max = double.MinValue;
        int n = 0;
        foreach (var item in items)
        {
            if (value(item) is not { } v) continue;
            sum += v;
            sumSq += v * v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            n++;
        }
        if (n == 0) return null;
        double mean = sum / n;
        return new Spread(mean, Math.Sqrt(Math.Max(0, sumSq / n - mean * mean)), min, max, n);
    }

    /// <summary>"mean ± std", for tables.</summary>
    public override string ToString() => $"{Mean:0.##} ± {Std:0.##}";
}
