using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Agents.Online;

/// <summary>What the actor reads: the policy network's snapshot and, for Gaussian policies, the action standard deviation.</summary>
/// <param name="Network">The policy (or Q) network's weights.</param>
/// <param name="ActionStd">Per-dimension standard deviation of a Gaussian policy; empty otherwise.</param>
public sealed record PublishedPolicy(PolicySnapshot Network, float[] ActionStd);

/// <summary>
/// The base of the online learners: acting from a published snapshot on the stream's thread, learning from a
/// <see cref="StreamingReplay"/> on another thread (or scheduler). <see cref="Update"/> is the safe unit of learning:
/// one gradient step, growth when the <see cref="GrowthPolicy"/> says so, a new snapshot every
/// <see cref="OnlineLearnerOptions.PublishEvery"/> steps (also kept as the last good state); an exception or a
/// non-finite loss is reported and the learner goes back to the last good state, while the actor keeps acting on the
/// published snapshot.
/// </summary>
public abstract class OnlineLearner
{
    private readonly List<(string Name, Module Module)> modules = [];
    private readonly List<(string Name, Optimizer Optimizer)> optimizers = [];
    private PublishedPolicy? published;
    private byte[]? lastGood;
    private long updates;

    /// <summary>Sets up the learner; subclasses build their networks, then call <see cref="Publish"/>.</summary>
    protected OnlineLearner(string algorithm, AgentSpaces spaces, OnlineLearnerOptions options, StreamingReplay replay, int seed)
    {
        ArgumentNullException.ThrowIfNull(spaces);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Algorithm = algorithm;
        Spaces = spaces;
        Options = options;
        Replay = replay;
        Seed = seed;
        Rng = new Generator(seed);
        Growth = options.Growth is { } g ? new GrowthPolicy(g) : null;
    }

    /// <summary>The algorithm's name (online-ac, online-dqn).</summary>
    public string Algorithm { get; }

    /// <summary>Observation and action layout.</summary>
    public AgentSpaces Spaces { get; }

    /// <summary>The settings.</summary>
    public OnlineLearnerOptions Options { get; }

    /// <summary>Where the actor puts transitions and the learner takes them.</summary>
    public StreamingReplay Replay { get; }

    /// <summary>The seed the networks and sampling started from.</summary>
    public int Seed { get; }

    /// <summary>The learner's generator (initialization, sampling, growth); learning thread only.</summary>
    protected Generator Rng { get; }

    /// <summary>The growth policy, or null for fixed networks.</summary>
    public GrowthPolicy? Growth { get; }

    /// <summary>Counters shared with the live loop.</summary>
    public OnlineCounters Counters { get; } = new();

    /// <summary>Gradient steps done (failed ones not counted).</summary>
    public long Updates => Interlocked.Read(ref updates);

    /// <summary>The latest published policy; the actor reads it without locking.</summary>
    public PublishedPolicy Policy => Volatile.Read(ref published) ?? throw new InvalidOperationException($"{Algorithm}: no policy was published yet.");

    /// <summary>The policy network (what grows and what the actor evaluates).</summary>
    public abstract GrowableMlp PolicyNetwork { get; }

    /// <summary>Raised on the learning thread for growth ("growth") and failures ("learner_restart"), with details.</summary>
    public event Action<string, IReadOnlyDictionary<string, object?>>? Event;

    /// <summary>Test and diagnostics hook: called with the update number before every gradient step; it may throw.</summary>
    public Action<long>? BeforeUpdate { get; set; }

    /// <summary>Chooses the action for one observation into <paramref name="action"/> (acting thread; no allocation).</summary>
    public abstract void Act(PublishedPolicy policy, ReadOnlySpan<float> observation, Span<float> action, Generator rng, long step, bool explore);

    /// <summary>True when the replay holds enough for an update and the learner is not ahead of the stream.</summary>
    public bool WantsUpdate() => HasData() && Updates < Replay.Added * Options.UpdatesPerStep;

    /// <summary>True when the replay holds enough data for one gradient step.</summary>
    protected abstract bool HasData();

    /// <summary>One gradient step; returns the loss (non-finite losses are treated as failures).</summary>
    protected abstract double TrainStep();

    /// <summary>The networks that grow with the policy (the policy network first).</summary>
    protected abstract IEnumerable<GrowableMlp> GrowingNetworks { get; }

    /// <summary>Called after a growth (e.g. to resize a target network).</summary>
    protected virtual void AfterGrowth() { }

    /// <summary>The action standard deviation to publish (Gaussian policies).</summary>
    protected virtual float[] ActionStd() => [];

    /// <summary>Registers a network for checkpoints and restarts.</summary>
    protected T Track<T>(string name, T module) where T : Module
    {
        modules.Add((name, module));
        return module;
    }

    /// <summary>Registers an optimizer for checkpoints and restarts.</summary>
    protected T TrackOptimizer<T>(string name, T optimizer) where T : Optimizer
    {
        optimizers.Add((name, optimizer));
        return optimizer;
    }

    /// <summary>
    /// Runs one safe learning step (learning thread): <see cref="UpdateResult.NoData"/> without doing anything when the
    /// replay holds too little, <see cref="UpdateResult.Failed"/> when the step threw (the learner is then back at the
    /// last good state), <see cref="UpdateResult.Done"/> otherwise.
    /// </summary>
    public UpdateResult Update()
    {
        if (!HasData()) return UpdateResult.NoData;
        try
        {
            BeforeUpdate?.Invoke(Updates);
            double loss = TrainStep();
            if (!double.IsFinite(loss)) throw new InvalidOperationException($"{Algorithm}: loss became {loss} at update {Updates}.");
            long done = Interlocked.Increment(ref updates);
            Counters.UpdateDone();
            LastLoss = loss;
            if (Growth is { } g && g.ShouldGrow(Replay.Added, Replay.RewardMean)) Grow();
            if (done % Options.PublishEvery == 0) Publish();
            return UpdateResult.Done;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Counters.LearnerFailed();
            Restore();
            Event?.Invoke(MetricKeysOnline.LearnerRestart, new Dictionary<string, object?>
            {
                ["error"] = $"{e.GetType().Name}: {e.Message}",
                ["update"] = Updates,
                ["restored_shape"] = PolicyNetwork.Describe(),
            });
            return UpdateResult.Failed;
        }
    }

    /// <summary>The loss of the last successful update (NaN before the first).</summary>
    public double LastLoss { get; private set; } = double.NaN;

    /// <summary>Grows every growing network once (when the limits allow) and reports each growth.</summary>
    public void Grow()
    {
        if (Growth is null || !Growth.CanGrow(PolicyNetwork)) return;
        foreach (var net in GrowingNetworks)
        {
            foreach (var e in Growth.Grow(net))
                Event?.Invoke(MetricKeysOnline.Growth, new Dictionary<string, object?>
                {
                    ["network"] = NameOf(net),
                    ["action"] = e.Action,
                    ["shape"] = e.Shape,
                    ["sizes"] = e.Sizes,
                    ["update"] = Updates,
                    ["stream_steps"] = Replay.Added,
                });
        }
        Counters.Grew();
        foreach (var (_, o) in optimizers) o.ZeroGrad();
        AfterGrowth();
        Publish();
    }

    private string NameOf(Module net)
    {
        foreach (var (name, m) in modules) if (ReferenceEquals(m, net)) return name;
        return net.GetType().Name;
    }

    /// <summary>Publishes the current policy to the actor and keeps the current state as the last good one.</summary>
    protected void Publish()
    {
        Volatile.Write(ref published, new PublishedPolicy(PolicySnapshot.Capture(PolicyNetwork, Updates), ActionStd()));
        Volatile.Write(ref lastGood, GetState().ToBytes());
        Counters.Published();
    }

    /// <summary>
    /// The state saved with the latest published policy (<see cref="AgentState"/> bytes): what the learner restarts from,
    /// and what another thread may checkpoint while the learner runs (<see cref="GetState"/> belongs to the learning thread).
    /// </summary>
    public byte[] PublishedState => Volatile.Read(ref lastGood) ?? throw new InvalidOperationException($"{Algorithm}: no policy was published yet.");

    private void Restore()
    {
        if (lastGood is null) return;
        SetState(AgentState.FromBytes(lastGood));
        foreach (var (_, o) in optimizers) o.ZeroGrad();
    }

    /// <summary>Networks, optimizer state, update count and generator state: everything to resume.</summary>
    public AgentState GetState()
    {
        var state = new AgentState { Algorithm = Algorithm };
        foreach (var (name, m) in modules) state.Blobs["module." + name] = StateDictCodec.Encode(m.StateDict());
        foreach (var (name, o) in optimizers) state.Blobs["optimizer." + name] = StateDictCodec.Encode(o.StateDict());
        state.Blobs["rng"] = RngState.Save(Rng);
        state.Scalars["updates"] = Updates;
        state.Scalars["growths"] = Growth?.Growths ?? 0;
        return state;
    }

    /// <summary>Restores <see cref="GetState"/> (networks regrow to the saved shapes) and publishes it.</summary>
    public void SetState(AgentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Algorithm != Algorithm) throw new ArgumentException($"{Algorithm}.SetState: the state was saved by '{state.Algorithm}'.");
        foreach (var (name, m) in modules) m.LoadStateDict(StateDictCodec.Decode(state.Blob("module." + name)));
        foreach (var (name, o) in optimizers) o.LoadStateDict(FitToParameters(StateDictCodec.Decode(state.Blob("optimizer." + name)), o));
        RngState.Load(Rng, state.Blob("rng"));
        Interlocked.Exchange(ref updates, (long)state.Scalar("updates"));
        Volatile.Write(ref published, new PublishedPolicy(PolicySnapshot.Capture(PolicyNetwork, Updates), ActionStd()));
    }

    /// <summary>
    /// Optimizers resize a grown parameter's moments lazily, at its next step, so a state saved right after a growth
    /// holds the old shapes: pad them with zeros to the parameters' shapes, old entries first (as the optimizer would).
    /// </summary>
    private static StateDict FitToParameters(StateDict sd, Optimizer optimizer)
    {
        int i = 0;
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var group in optimizer.ParamGroups)
            foreach (var p in group.Parameters)
            {
                if (!seen.Add(p)) continue;
                string prefix = $"state.{i++}.";
                foreach (var key in sd.Keys.ToList())
                {
                    if (!key.StartsWith(prefix, StringComparison.Ordinal) || key == prefix + "step") continue;
                    var saved = sd[key];
                    if (saved.Rank != p.Value.Rank || saved.ShapeSpan.SequenceEqual(p.Value.ShapeSpan)) continue;
                    var fitted = Tensor.Zeros(saved.DType, p.Value.Shape);
                    Tensor src = saved, dst = fitted;
                    for (int d = 0; d < saved.Rank; d++)
                    {
                        int n = Math.Min(saved.Size(d), p.Value.Size(d));
                        src = src.Narrow(d, 0, n);
                        dst = dst.Narrow(d, 0, n);
                    }
                    using (Autograd.NoGrad()) dst.CopyInPlace(src);
                    sd[key] = fitted;
                }
            }
        return sd;
    }

    /// <summary>A [rows, width] tensor over a copy of <paramref name="data"/>.</summary>
    protected static Tensor Rows(ReadOnlySpan<float> data, int rows) => Tensor.FromArray(data.ToArray(), rows, data.Length / rows);
}

/// <summary>What one <see cref="OnlineLearner.Update"/> did.</summary>
public enum UpdateResult
{
    /// <summary>Nothing: too little data.</summary>
    NoData,

    /// <summary>One gradient step.</summary>
    Done,

    /// <summary>The step threw; the learner went back to the last good state.</summary>
    Failed,
}

/// <summary>Event kinds the online learners report.</summary>
public static class MetricKeysOnline
{
    /// <summary>A network grew (same kind as the runner's growth events).</summary>
    public const string Growth = "growth";

    /// <summary>Learning failed and restarted from the last good state.</summary>
    public const string LearnerRestart = "learner_restart";

    /// <summary>The environment changed while running.</summary>
    public const string EnvChange = "env_change";
}
