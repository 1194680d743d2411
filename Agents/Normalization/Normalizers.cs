using RlPlat.Environments.Wrappers;

namespace RlPlat.Agents.Normalization;

/// <summary>
/// Running observation normalization inside the agent (Stable-Baselines3's VecNormalize for observations):
/// (x - mean) / sqrt(var + 1e-8), clipped to +-clip. Statistics are updated only while training and are part of the
/// agent's saved state, so a loaded agent acts on the same scale.
/// </summary>
public sealed class ObservationNormalizer(int size, double clip = 10.0)
{
    /// <summary>The running statistics.</summary>
    public RunningMeanStd Statistics { get; } = new(size);

    /// <summary>Merges a batch of rows [n, size].</summary>
    public void Update(ReadOnlySpan<float> rows)
    {
        for (int r = 0; r + size <= rows.Length; r += size) Statistics.Update(rows.Slice(r, size));
    }

    /// <summary>Writes the normalized rows of <paramref name="rows"/> into <paramref name="destination"/>.</summary>
    public void Normalize(ReadOnlySpan<float> rows, Span<float> destination)
    {
        double[] mean = Statistics.Mean, var = Statistics.Var;
        for (int i = 0; i < rows.Length; i++)
        {
            int j = i % size;
            destination[i] = (float)Math.Clamp((rows[i] - mean[j]) / Math.Sqrt(var[j] + 1e-8), -clip, clip);
        }
    }
}

/// <summary>
/// Reward scaling by the running standard deviation of the discounted return (VecNormalize's <c>norm_reward</c>):
/// per env, G = gamma * G + r (reset at episode end); r / sqrt(var(G) + 1e-8), clipped to +-clip.
/// </summary>
public sealed class RewardNormalizer(double gamma, double clip = 10.0)
{
    private double[] returns = [];

    /// <summary>Each env's discounted return so far (saved in checkpoints: it scales the rewards to come).</summary>
    public double[] RunningReturns
    {
        get => (double[])returns.Clone();
        set => returns = (double[])value.Clone();
    }

    /// <summary>The running statistics of the discounted return.</summary>
    public RunningMeanStd Statistics { get; } = new(1);

    /// <summary>Updates the statistics with this step and scales the rewards in place.</summary>
    public void UpdateAndScale(Span<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        if (returns.Length != rewards.Length) returns = new double[rewards.Length];
        for (int e = 0; e < rewards.Length; e++)
        {
            returns[e] = returns[e] * gamma + rewards[e];
            Statistics.Update(returns[e]);
        }
        double scale = Math.Sqrt(Statistics.Var[0] + 1e-8);
        for (int e = 0; e < rewards.Length; e++)
        {
            rewards[e] = (float)Math.Clamp(rewards[e] / scale, -clip, clip);
            if (terminated[e] || truncated[e]) returns[e] = 0;
        }
    }
}
