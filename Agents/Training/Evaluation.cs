namespace RlPlat.Agents.Training;

/// <summary>The returns and lengths of evaluation episodes.</summary>
public sealed record EvaluationResult(double[] Returns, int[] Lengths)
{
    /// <summary>Mean episode return.</summary>
    public double MeanReturn => Mean(Returns);

    /// <summary>Population standard deviation of the returns (numpy's default).</summary>
    public double StdReturn
    {
        get
        {
            double m = MeanReturn, s = 0;
            foreach (double r in Returns) s += (r - m) * (r - m);
            return Returns.Length == 0 ? 0 : Math.Sqrt(s / Returns.Length);
        }
    }

    /// <summary>Mean episode length.</summary>
    public double MeanLength
    {
        get
        {
            double s = 0;
            foreach (int l in Lengths) s += l;
            return Lengths.Length == 0 ? 0 : s / Lengths.Length;
        }
    }

    private static double Mean(double[] x)
    {
        double s = 0;
        foreach (double v in x) s += v;
        return x.Length == 0 ? 0 : s / x.Length;
    }
}

/// <summary>Runs an agent's policy without learning (Stable-Baselines3's <c>evaluate_policy</c>).</summary>
public static class Evaluation
{
    /// <summary>
    /// Plays <paramref name="episodes"/> episodes on <paramref name="envs"/>, spreading them over the envs as
    /// Stable-Baselines3 does (env i plays (episodes + i) / NumEnvs of them) so short episodes do not bias the mean.
    /// </summary>
    public static EvaluationResult Evaluate(IAgent agent, EnvBatch envs, int episodes, bool deterministic = true, int? seed = null)
    {
        if (episodes < 1) throw new ArgumentException($"Evaluate: episodes {episodes} must be >= 1.", nameof(episodes));
        var spaces = envs.Spaces;
        int n = envs.NumEnvs;
        var targets = new int[n];
        var counts = new int[n];
        for (int i = 0; i < n; i++) targets[i] = (episodes + i) / n;
        var returns = new List<double>(episodes);
        var lengths = new List<int>(episodes);
        var transitions = new TransitionBatch(n, spaces.ObservationSize, spaces.ActionSize, spaces.ActionCount);
        var actions = new float[n * spaces.ActionSize];
        envs.Reset(seed);
        while (returns.Count < episodes)
        {
            agent.Act(envs.Observations, n, actions, deterministic, envs.ActionMasks);
            envs.Step(actions, transitions);
            foreach (var ep in envs.CompletedEpisodes)
            {
                if (counts[ep.Env] >= targets[ep.Env]) continue;
                counts[ep.Env]++;
                returns.Add(ep.Return);
                lengths.Add(ep.Length);
            }
        }
        return new EvaluationResult([.. returns], [.. lengths]);
    }
}
