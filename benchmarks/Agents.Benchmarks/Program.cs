using System.Diagnostics;
using System.Globalization;
using RlPlat.Agents;
using RlPlat.Agents.Algorithms;
using RlPlat.Agents.Training;

// Agent benchmarks: `learn` trains an algorithm on an env over several seeds with rl-zoo's hyperparameters and reports
// whether each seed's deterministic 20-episode evaluation reached the threshold within the step budget (training stops
// there); `summarize` turns RESULT lines into the acceptance table; `profile` splits a run's time and allocation
// between acting, env steps, observing and learning; `random` scores a uniform random agent.
// Output lines starting with "RESULT" are machine-readable (tab-separated).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
// One thread per matrix product, like the PyTorch peer (torch.set_num_threads(1)); AGENTS_THREADS overrides.
RlPlat.Engine.Kernels.Gemm.MaxThreads = int.TryParse(Environment.GetEnvironmentVariable("AGENTS_THREADS"), out int threads) ? threads : 1;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: learn <algo> <env> <threshold> <budget> [seeds=0,1,2,3,4] [evalEvery] [key=value ...] | random <env> [episodes] | speed <algo> <env> <threshold> <budget> <seed> <evalEvery> | profile <algo> <env> <steps> | summarize <results.tsv>");
    return 2;
}

switch (args[0])
{
    case "learn":
        return Learn(args[1], args[2], double.Parse(args[3]), long.Parse(args[4]),
            args.Length > 5 ? Array.ConvertAll(args[5].Split(','), int.Parse) : [0, 1, 2, 3, 4],
            args.Length > 6 ? long.Parse(args[6]) : 0, args.Length > 7 ? args[7..] : []);
    case "speed": // train the whole budget (no stop at the threshold), for a like-for-like comparison with a peer
        return Learn(args[1], args[2], double.Parse(args[3]), long.Parse(args[4]), [int.Parse(args[5])], long.Parse(args[6]), [], stopAtThreshold: false);
    case "profile":
        return Profile(args[1], args[2], long.Parse(args[3]));
    case "summarize":
        return Summarize(args[1]);
    case "random":
        return RandomAgent(args[1], args.Length > 2 ? int.Parse(args[2]) : 20);
    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        return 2;
}

static int Learn(string algo, string envId, double threshold, long budget, int[] seeds, long evalEvery, string[] overrides, bool stopAtThreshold = true)
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
        var sw = Stopwatch.StartNew();
        long? reachedAt = null;
        double atThreshold = double.NaN;
        EvalCallback? eval = null;
        // The first evaluation at the threshold, whether or not training stops there (speed runs train the whole budget).
        eval = new EvalCallback(evalEnvs, evalEvery, episodes: 20, rewardThreshold: stopAtThreshold ? threshold : null)
        {
            OnEvaluation = (step, result) =>
            {
                if (reachedAt != null || result.MeanReturn < threshold) return;
                reachedAt = step;
                atThreshold = (sw.Elapsed - eval!.EvaluationTime).TotalSeconds;
            },
        };
        var context = Trainer.Train(agent, envs, budget, [eval], seed: seed);
        sw.Stop();
        double trainSeconds = (sw.Elapsed - eval.EvaluationTime).TotalSeconds;
        bool ok = reachedAt.HasValue;
        if (ok) reached++;
        double best = eval.BestMeanReturn, last = eval.History[^1].Result.MeanReturn;
        Console.WriteLine($"RESULT\t{algo}\t{envId}\tthreshold={threshold}\tbudget={budget}\tseed={seed}\treached={ok}\tat_step={reachedAt?.ToString() ?? "-"}\tsteps={context.NumTimesteps}\t" +
                          $"best_eval={best:F1}\tlast_eval={last:F1}\ttrain_s={trainSeconds:F2}\tto_threshold_s={(ok ? atThreshold.ToString("F2") : "-")}\t" +
                          $"wall_s={sw.Elapsed.TotalSeconds:F2}\tsteps_per_s={context.NumTimesteps / trainSeconds:F0}\toverrides={string.Join(' ', overrides)}");
    }
    Console.WriteLine($"SUMMARY\t{algo}\t{envId}\tthreshold={threshold}\tbudget={budget}\treached={reached}/{seeds.Length}");
    return 0;
}

// Splits one training run's time and managed allocation between acting, env stepping, observing and learning:
// where a speed-up has to come from.
static int Profile(string algo, string envId, long steps)
{
    var hyper = RlZooDefaults.Merge(algo, envId, null);
    int nEnvs = RlZooDefaults.Find(algo, envId)?.NEnvs ?? 1;
    using var envs = EnvBatch.Make(envId, nEnvs);
    var agent = AgentFactory.Create(algo, hyper, envs.Spaces, 0);
    envs.Reset(0);
    var spaces = envs.Spaces;
    var t = new TransitionBatch(nEnvs, spaces.ObservationSize, spaces.ActionSize, spaces.ActionCount);
    var actions = new float[nEnvs * spaces.ActionSize];
    var phases = new (string Name, long Ticks, long Bytes, long Calls)[4];
    string[] names = ["act", "env step", "observe", "learn"];
    for (int i = 0; i < 4; i++) phases[i].Name = names[i];
    var total = Stopwatch.StartNew();
    long gen0 = GC.CollectionCount(0);
    while (agent.NumTimesteps < steps)
    {
        agent.SetProgressRemaining(1.0 - (double)agent.NumTimesteps / steps);
        Measure(ref phases[0], () => agent.Act(envs.Observations, nEnvs, actions, false, envs.ActionMasks));
        Measure(ref phases[1], () => envs.Step(actions, t));
        Measure(ref phases[2], () => agent.Observe(t));
        if (agent.ReadyToLearn) Measure(ref phases[3], () => agent.Learn());
    }
    total.Stop();
    Console.WriteLine($"PROFILE\t{algo}\t{envId}\tsteps={agent.NumTimesteps}\ttotal_s={total.Elapsed.TotalSeconds:F2}\tsteps_per_s={agent.NumTimesteps / total.Elapsed.TotalSeconds:F0}\tgen0_gcs={GC.CollectionCount(0) - gen0}");
    foreach (var p in phases)
        Console.WriteLine($"  {p.Name,-9} {p.Ticks / (double)Stopwatch.Frequency,8:F2} s  {p.Calls,8} calls  {(p.Calls == 0 ? 0 : p.Ticks * 1e6 / Stopwatch.Frequency / p.Calls),9:F1} us/call  {(p.Calls == 0 ? 0 : p.Bytes / p.Calls),9} B/call");
    return 0;

    static void Measure(ref (string Name, long Ticks, long Bytes, long Calls) phase, Action body)
    {
        long bytes = GC.GetAllocatedBytesForCurrentThread(), start = Stopwatch.GetTimestamp();
        body();
        phase.Ticks += Stopwatch.GetTimestamp() - start;
        phase.Bytes += GC.GetAllocatedBytesForCurrentThread() - bytes;
        phase.Calls++;
    }
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

// The acceptance table from RESULT lines (one per algorithm, env and seed, in any order, from any number of runs):
// per row, seeds that reached the threshold, mean and min final evaluation (at the stop or at the budget's end), env
// steps used, training and wall-clock seconds per seed.
static int Summarize(string path)
{
    // Runs with different hyperparameter overrides are different rows.
    var rows = new Dictionary<(string Algo, string Env, string Overrides), List<Dictionary<string, string>>>();
    foreach (string line in File.ReadLines(path))
    {
        if (!line.StartsWith("RESULT\t", StringComparison.Ordinal)) continue;
        string[] parts = line.Split('\t');
        if (parts.Length < 4 || parts[1] == "random") continue;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in parts.AsSpan(3))
        {
            int eq = part.IndexOf('=');
            if (eq > 0) fields[part[..eq]] = part[(eq + 1)..];
        }
        var key = (parts[1], parts[2], fields.GetValueOrDefault("overrides", ""));
        if (!rows.TryGetValue(key, out var list)) rows[key] = list = [];
        // A seed run again replaces its earlier result.
        list.RemoveAll(f => f.GetValueOrDefault("seed") == fields.GetValueOrDefault("seed"));
        list.Add(fields);
    }
    Console.WriteLine($"{"algorithm",-10} {"env",-16} {"threshold",9} {"budget",8} {"reached",8} {"final mean",10} {"final min",10} {"steps mean",10} {"train s",8} {"wall s",8}  {"seeds",-10} overrides");
    foreach (var ((algo, env, overrides), list) in rows)
    {
        double F(Dictionary<string, string> f, string k) => double.Parse(f[k], CultureInfo.InvariantCulture);
        int reached = list.Count(f => f["reached"] == "True");
        var finals = list.Select(f => F(f, "last_eval")).ToList();
        string seeds = string.Join(",", list.Select(f => f["seed"]).OrderBy(x => int.Parse(x, CultureInfo.InvariantCulture)));
        string threshold = list[0].GetValueOrDefault("threshold", "?"), budget = list[0].GetValueOrDefault("budget", "?");
        // Rows without a threshold in the issue run with 1e9 (never reached): shown as none.
        if (double.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out double t) && t >= 1e9) threshold = "none";
        Console.WriteLine($"{algo,-10} {env,-16} {threshold,9} {budget,8} {(threshold == "none" ? "-" : $"{reached}/{list.Count}"),8} {finals.Average(),10:F1} {finals.Min(),10:F1} " +
                          $"{list.Average(f => F(f, "steps")),10:F0} {list.Average(f => F(f, "train_s")),8:F1} {list.Average(f => F(f, "wall_s")),8:F1}  {seeds,-10} {overrides}");
    }
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

