using System.Diagnostics;
using System.Globalization;
using RlPlat.Agents;
using RlPlat.Agents.Algorithms;
using RlPlat.Agents.Training;

// Agent benchmarks: `learn` trains an algorithm on an env over several seeds with rl-zoo's hyperparameters and reports
// whether each seed's deterministic 20-episode evaluation reached the threshold within the step budget; `speed` times
// PPO/DQN to the CartPole-v1 threshold. Output lines starting with "RESULT" are machine-readable (tab-separated).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
// One thread per matrix product, like the PyTorch peer (torch.set_num_threads(1)); AGENTS_THREADS overrides.
RlPlat.Engine.Kernels.Gemm.MaxThreads = int.TryParse(Environment.GetEnvironmentVariable("AGENTS_THREADS"), out int threads) ? threads : 1;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: learn <algo> <env> <threshold> <budget> [seeds=0,1,2,3,4] [evalEvery] [key=value ...] | random <env> [episodes]");
    return 2;
}

switch (args[0])
{
    case "learn":
        return Learn(args[1], args[2], double.Parse(args[3]), long.Parse(args[4]),
            args.Length > 5 ? Array.ConvertAll(args[5].Split(','), int.Parse) : [0, 1, 2, 3, 4],
            args.Length > 6 ? long.Parse(args[6]) : 0, args.Length > 7 ? args[7..] : []);
    case "random":
        return RandomAgent(args[1], args.Length > 2 ? int.Parse(args[2]) : 20);
    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        return 2;
}

static int Learn(string algo, string envId, double threshold, long budget, int[] seeds, long evalEvery, string[] overrides)
{
    var hyper = RlZooDefaults.Merge(algo, envId, Overrides(overrides));
    int nEnvs = RlZooDefaults.Find(algo, envId)?.NEnvs ?? 1;
    if (hyper.Remove("n_envs", out object? ne)) nEnvs = Convert.ToInt32(ne, CultureInfo.InvariantCulture);
    if (evalEvery <= 0) evalEvery = Math.Max(budget / 20, 1000);
    int reached = 0;
    foreach (int seed in seeds)
    {
        using var envs = EnvBatch.Make(envId, nEnvs);
        using var evalEnvs = EnvBatch.Make(envId, 1);
        var agent = AgentFactory.Create(algo, hyper, envs.Spaces, seed);
        var eval = new EvalCallback(evalEnvs, evalEvery, episodes: 20, rewardThreshold: threshold);
        var sw = Stopwatch.StartNew();
        double atThreshold = double.NaN;
        var context = Trainer.Train(agent, envs, budget, [eval, new LambdaCallback { Step = c => { if (eval.ThresholdReachedAt == c.NumTimesteps && double.IsNaN(atThreshold)) atThreshold = (sw.Elapsed - eval.EvaluationTime).TotalSeconds; } }], seed: seed);
        sw.Stop();
        double trainSeconds = (sw.Elapsed - eval.EvaluationTime).TotalSeconds;
        bool ok = eval.ThresholdReachedAt.HasValue;
        if (ok) reached++;
        double best = eval.BestMeanReturn, last = eval.History[^1].Result.MeanReturn;
        Console.WriteLine($"RESULT\t{algo}\t{envId}\tseed={seed}\treached={ok}\tat_step={eval.ThresholdReachedAt?.ToString() ?? "-"}\tsteps={context.NumTimesteps}\t" +
                          $"best_eval={best:F1}\tlast_eval={last:F1}\ttrain_s={trainSeconds:F2}\tto_threshold_s={(ok ? atThreshold.ToString("F2") : "-")}\t" +
                          $"wall_s={sw.Elapsed.TotalSeconds:F2}\tsteps_per_s={context.NumTimesteps / trainSeconds:F0}");
    }
    Console.WriteLine($"SUMMARY\t{algo}\t{envId}\tthreshold={threshold}\tbudget={budget}\treached={reached}/{seeds.Length}");
    return 0;
}

static int RandomAgent(string envId, int episodes)
{
    using var envs = EnvBatch.Make(envId, 1);
    envs.Reset(0);
    var space = envs[0].ActionSpace;
    space.Seed(0);
    var t = new TransitionBatch(1, envs.Spaces.ObservationSize, envs.Spaces.ActionSize);
    var returns = new List<double>();
    var action = new float[envs.Spaces.ActionSize];
    var rng = new RlPlat.Engine.Generator(0);
    while (returns.Count < episodes)
    {
        for (int i = 0; i < action.Length; i++)
            action[i] = envs.Spaces.IsDiscrete ? rng.NextInt(envs.Spaces.ActionCount)
                : (float)(envs.Spaces.ActionLow[i] + rng.NextDouble() * (envs.Spaces.ActionHigh[i] - envs.Spaces.ActionLow[i]));
        envs.Step(action, t);
        foreach (var ep in envs.CompletedEpisodes) returns.Add(ep.Return);
    }
    Console.WriteLine($"RESULT\trandom\t{envId}\tmean={returns.Average():F1}\tstd={Math.Sqrt(returns.Select(r => (r - returns.Average()) * (r - returns.Average())).Average()):F1}\tepisodes={episodes}");
    return 0;
}

static Dictionary<string, object?> Overrides(string[] pairs)
{
    var d = new Dictionary<string, object?>(StringComparer.Ordinal);
    foreach (string pair in pairs)
    {
        int eq = pair.IndexOf('=');
        if (eq < 0) throw new ArgumentException($"override '{pair}' is not key=value");
        string key = pair[..eq], value = pair[(eq + 1)..];
        d[key] = value switch
        {
            "true" => true,
            "false" => false,
            _ when value.StartsWith('[') => Array.ConvertAll(value.Trim('[', ']').Split(','), int.Parse),
            _ when int.TryParse(value, out int i) => i,
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) => x,
            _ => value,
        };
    }
    return d;
}

