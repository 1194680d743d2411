namespace RlPlat.Environments.Wrappers;

/// <summary>A snapshot of <see cref="RunningMeanStd"/>, plain arrays so a checkpoint can carry it.</summary>
public sealed record RunningMeanStdState(double[] Mean, double[] Var, double Count);

/// <summary>
/// Gymnasium's <c>RunningMeanStd</c> (parallel Welford): starts at mean 0, var 1, count epsilon = 1e-4 and merges
/// each batch with <c>update_mean_var_count_from_moments</c>. Statistics are float64.
/// </summary>
public sealed class RunningMeanStd
{
    /// <summary>Statistics for vectors of length <paramref name="size"/>.</summary>
    public RunningMeanStd(int size, double epsilon = 1e-4)
    {
        if (size <= 0) throw new ArgumentException($"RunningMeanStd: size must be positive, got {size}.", nameof(size));
        Mean = new double[size];
        Var = new double[size];
        Array.Fill(Var, 1.0);
        Count = epsilon;
    }

    /// <summary>The running mean.</summary>
    public double[] Mean { get; }

    /// <summary>The running (population) variance.</summary>
    public double[] Var { get; }

    /// <summary>The (pseudo-)count of samples seen, starting at epsilon.</summary>
    public double Count { get; private set; }

    /// <summary>Merges one sample (a batch of one: batch variance 0).</summary>
    public void Update(ReadOnlySpan<float> x)
    {
        if (x.Length != Mean.Length) throw new ArgumentException($"RunningMeanStd.Update: sample has {x.Length} values, expected {Mean.Length}.");
        double totCount = Count + 1;
        for (int i = 0; i < Mean.Length; i++)
        {
            double delta = x[i] - Mean[i];
            Mean[i] += delta / totCount;
            double m2 = Var[i] * Count + delta * delta * Count / totCount;
            Var[i] = m2 / totCount;
        }
        Count = totCount;
    }

    /// <summary>Merges one scalar sample (for size-1 statistics).</summary>
    public void Update(double x)
    {
        double totCount = Count + 1, delta = x - Mean[0];
        Mean[0] += delta / totCount;
        Var[0] = (Var[0] * Count + delta * delta * Count / totCount) / totCount;
        Count = totCount;
    }

    /// <summary>A copy of the statistics.</summary>
    public RunningMeanStdState GetState() => new((double[])Mean.Clone(), (double[])Var.Clone(), Count);

    /// <summary>Restores statistics saved by <see cref="GetState"/>.</summary>
    public void SetState(RunningMeanStdState state)
    {
        if (state.Mean.Length != Mean.Length || state.Var.Length != Var.Length)
            throw new ArgumentException($"RunningMeanStd.SetState: state has {state.Mean.Length} means and {state.Var.Length} variances, expected {Mean.Length}.");
        if (!(state.Count > 0)) throw new ArgumentException($"RunningMeanStd.SetState: count must be positive, got {state.Count}.");
        state.Mean.CopyTo(Mean, 0);
        state.Var.CopyTo(Var, 0);
        Count = state.Count;
    }
}
