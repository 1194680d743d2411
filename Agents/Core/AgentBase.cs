using RlPlat.Agents.Normalization;
using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;
using RlPlat.Environments.Wrappers;

namespace RlPlat.Agents;

/// <summary>
/// What every built-in agent shares: spaces, step counter, training progress, a seeded generator, optional
/// observation/reward normalization, and saving/loading of every registered network and optimizer. A custom agent
/// may derive from it to get checkpoints for free, or implement <see cref="IAgent"/> directly.
/// </summary>
public abstract class AgentBase : IAgent
{
    private readonly List<(string Name, Module Module)> modules = [];
    private readonly List<(string Name, Optimizer Optimizer)> optimizers = [];
    private float[] normalizedScratch = [];

    /// <summary>Sets up the shared parts; <paramref name="algorithm"/> names the agent in saved states.</summary>
    protected AgentBase(string algorithm, AgentSpaces spaces, int seed)
    {
        Algorithm = algorithm;
        Spaces = spaces;
        Seed = seed;
        Rng = new Generator(seed);
    }

    /// <summary>The algorithm name written into saved states.</summary>
    public string Algorithm { get; }

    /// <inheritdoc />
    public AgentSpaces Spaces { get; }

    /// <summary>The seed the agent was built with.</summary>
    public int Seed { get; }

    /// <inheritdoc />
    public long NumTimesteps { get; protected set; }

    /// <summary>Fraction of training left, 1 to 0 (drives schedules).</summary>
    public double ProgressRemaining { get; private set; } = 1.0;

    /// <summary>The agent's generator: network init, sampling, minibatch shuffles, exploration.</summary>
    protected Generator Rng { get; }

    /// <summary>Observation normalization, when enabled.</summary>
    protected ObservationNormalizer? ObservationNormalizer { get; set; }

    /// <summary>Reward normalization, when enabled.</summary>
    protected RewardNormalizer? RewardNormalizer { get; set; }

    /// <summary>The network whose parameters <see cref="GetWeights"/>/<see cref="SetWeights"/> exchange (what actors need).</summary>
    protected abstract Module ActingNetwork { get; }

    /// <inheritdoc />
    public abstract void Act(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic, ReadOnlySpan<bool> actionMasks = default);

    /// <inheritdoc />
    public abstract void Observe(TransitionBatch transitions);

    /// <inheritdoc />
    public abstract bool ReadyToLearn { get; }

    /// <inheritdoc />
    public abstract IReadOnlyDictionary<string, double> Learn();

    /// <inheritdoc />
    public virtual void SetProgressRemaining(double progressRemaining) => ProgressRemaining = Math.Clamp(progressRemaining, 0, 1);

    /// <summary>Registers a network to be saved and loaded under <paramref name="name"/>.</summary>
    protected T TrackModule<T>(string name, T module) where T : Module
    {
        modules.Add((name, module));
        return module;
    }

    /// <summary>Registers an optimizer to be saved and loaded under <paramref name="name"/>.</summary>
    protected T TrackOptimizer<T>(string name, T optimizer) where T : Optimizer
    {
        optimizers.Add((name, optimizer));
        return optimizer;
    }

    /// <summary>
    /// The observations as the networks see them: normalized with the running statistics when normalization is on
    /// (into a scratch array reused across calls), else the input itself.
    /// </summary>
    protected ReadOnlySpan<float> NetworkObservations(ReadOnlySpan<float> observations)
    {
        if (ObservationNormalizer == null) return observations;
        if (normalizedScratch.Length < observations.Length) normalizedScratch = new float[observations.Length];
        Span<float> dst = normalizedScratch.AsSpan(0, observations.Length);
        ObservationNormalizer.Normalize(observations, dst);
        return dst;
    }

    /// <summary>A [rows, width] float tensor over a copy of <paramref name="data"/>.</summary>
    protected static Tensor Rows(ReadOnlySpan<float> data, int rows) => Tensor.FromArray(data.ToArray(), rows, data.Length / rows);

    /// <summary>A [rows, K] bool tensor from masks, or null when there are none.</summary>
    protected static Tensor? MaskTensor(ReadOnlySpan<bool> masks, int rows) => masks.IsEmpty ? null : Tensor.FromArray(masks.ToArray(), rows, masks.Length / rows);

    /// <inheritdoc />
    public PolicyWeights GetWeights()
    {
        var w = new PolicyWeights();
        foreach (var (name, p) in ActingNetwork.NamedParameters())
        {
            var value = p.Value.Detach().Contiguous();
            w.Add(name, value.Shape, value.AsSpan());
        }
        return w;
    }

    /// <inheritdoc />
    public void SetWeights(PolicyWeights weights)
    {
        // Check every entry before changing anything, so a bad set leaves the policy as it was.
        var pending = new List<(Parameter, float[])>();
        foreach (var (name, p) in ActingNetwork.NamedParameters()) pending.Add((p, weights.Get(name, p.Shape)));
        using (Autograd.NoGrad())
            foreach (var (p, values) in pending) p.Value.CopyInPlace(Tensor.FromArray(values, p.Shape));
        OnWeightsReplaced();
    }

    /// <summary>Called after <see cref="SetWeights"/> (for example to refresh target networks).</summary>
    protected virtual void OnWeightsReplaced() { }

    /// <inheritdoc />
    public AgentState GetState()
    {
        var state = new AgentState { Algorithm = Algorithm };
        foreach (var (name, m) in modules) state.Blobs["module." + name] = StateDictCodec.Encode(m.StateDict());
        foreach (var (name, o) in optimizers) state.Blobs["optimizer." + name] = StateDictCodec.Encode(o.StateDict());
        state.Scalars["num_timesteps"] = NumTimesteps;
        state.Scalars["progress_remaining"] = ProgressRemaining;
        state.Blobs["rng"] = RngState.Save(Rng);
        if (ObservationNormalizer != null) Save(state, "obs_rms", ObservationNormalizer.Statistics);
        if (RewardNormalizer != null)
        {
            Save(state, "ret_rms", RewardNormalizer.Statistics);
            state.Blobs["ret_running"] = DoubleBytes(RewardNormalizer.RunningReturns);
        }
        SaveExtra(state);
        return state;
    }

    /// <inheritdoc />
    public void SetState(AgentState state)
    {
        if (state.Algorithm != Algorithm) throw new ArgumentException($"{Algorithm}.SetState: the state was saved by a '{state.Algorithm}' agent.");
        foreach (var (name, m) in modules) m.LoadStateDict(StateDictCodec.Decode(state.Blob("module." + name)));
        foreach (var (name, o) in optimizers) o.LoadStateDict(StateDictCodec.Decode(state.Blob("optimizer." + name)));
        NumTimesteps = (long)state.Scalar("num_timesteps");
        ProgressRemaining = state.Scalar("progress_remaining");
        RngState.Load(Rng, state.Blob("rng"));
        if (ObservationNormalizer != null) Load(ObservationNormalizer.Statistics, state, "obs_rms");
        if (RewardNormalizer != null)
        {
            Load(RewardNormalizer.Statistics, state, "ret_rms");
            if (state.Blobs.TryGetValue("ret_running", out var running)) RewardNormalizer.RunningReturns = Doubles(running);
        }
        LoadExtra(state);
    }

    /// <summary>Adds algorithm-specific scalars (counters, exploration rate) to a saved state.</summary>
    protected virtual void SaveExtra(AgentState state) { }

    /// <summary>Reads what <see cref="SaveExtra"/> wrote.</summary>
    protected virtual void LoadExtra(AgentState state) { }

    // Statistics go in twice: as float weights (readable with the other weight groups) and as exact doubles in a blob,
    // which loading prefers so a resumed run normalizes bit for bit as before.
    private static void Save(AgentState state, string name, RunningMeanStd rms)
    {
        var w = new PolicyWeights();
        var s = rms.GetState();
        w.Add("mean", [s.Mean.Length], Array.ConvertAll(s.Mean, x => (float)x));
        w.Add("var", [s.Var.Length], Array.ConvertAll(s.Var, x => (float)x));
        w.Add("count", [1], [(float)s.Count]);
        state.Weights[name] = w;
        state.Blobs[name] = DoubleBytes([.. s.Mean, .. s.Var, s.Count]);
    }

    private static void Load(RunningMeanStd rms, AgentState state, string name)
    {
        int n = rms.Mean.Length;
        if (state.Blobs.TryGetValue(name, out var exact))
        {
            double[] v = Doubles(exact);
            if (v.Length != 2 * n + 1) throw new ArgumentException($"AgentState: '{name}' holds {v.Length} values, expected {2 * n + 1} for {n} features.");
            rms.SetState(new RunningMeanStdState(v[..n], v[n..(2 * n)], v[2 * n]));
            return;
        }
        var w = state.Group(name);
        rms.SetState(new RunningMeanStdState(Array.ConvertAll(w.Get("mean", [n]), x => (double)x), Array.ConvertAll(w.Get("var", [n]), x => (double)x), w.Get("count", [1])[0]));
    }

    private static byte[] DoubleBytes(ReadOnlySpan<double> values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray();

    private static double[] Doubles(byte[] bytes)
    {
        if (bytes.Length % 8 != 0) throw new ArgumentException($"AgentState: {bytes.Length} bytes is not a whole number of doubles.");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes).ToArray();
    }
}
