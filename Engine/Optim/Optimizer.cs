using RlPlat.Engine.NN;

namespace RlPlat.Engine.Optim;

/// <summary>
/// The base of every optimizer: parameter groups, per-parameter state (a step count and named buffers shaped like
/// the parameter), <see cref="ZeroGrad"/>, <see cref="Step"/>, state dicts. The parameter list is cached and rebuilt
/// after any structural change to a module (<see cref="Module.StructureVersion"/>): a removed parameter's state is
/// dropped, a new one starts empty, and a parameter whose value grew keeps its old entries with zeros for the new ones.
/// </summary>
public abstract class Optimizer
{
    private readonly List<ParamGroup> groups;
    private readonly Dictionary<Parameter, ParamState> state = new(ReferenceEqualityComparer.Instance);
    private readonly List<(Parameter Parameter, ParamGroup Group)> active = [];
    private int cachedVersion = -1;

    /// <summary>State of one parameter: its step count and buffers (moments, momentum, ...).</summary>
    public sealed class ParamState
    {
        /// <summary>How many updates this parameter has had.</summary>
        public long Step;

        /// <summary>Buffers named by <see cref="StateNames"/>, each shaped like the parameter.</summary>
        public Tensor[] Buffers = [];
    }

    /// <summary>Groups with defaults <paramref name="lr"/> and <paramref name="weightDecay"/> where a group sets none.</summary>
    protected Optimizer(IEnumerable<ParamGroup> groups, double lr, double weightDecay)
    {
        if (!(lr >= 0)) throw new ArgumentException($"{GetType().Name}: learning rate must be >= 0, got {lr}");
        if (!(weightDecay >= 0)) throw new ArgumentException($"{GetType().Name}: weight decay must be >= 0, got {weightDecay}");
        defaultLr = lr;
        defaultWeightDecay = weightDecay;
        this.groups = [];
        foreach (var g in groups) AddParamGroup(g);
        if (this.groups.Count == 0) throw new ArgumentException($"{GetType().Name}: needs at least one parameter group");
    }

    private readonly double defaultLr, defaultWeightDecay;

    /// <summary>
    /// Adds a group (PyTorch's add_param_group), e.g. for the parameters of a layer added to a fixed-list optimizer;
    /// the group's lr and weight decay default to the optimizer's. A parameter already in an earlier group stays there.
    /// </summary>
    public void AddParamGroup(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (groups.Contains(group)) throw new ArgumentException($"{GetType().Name}.AddParamGroup: the group is already added");
        group.Lr = group.InitialLr = group.LrOverride ?? defaultLr;
        group.WeightDecay = group.WeightDecayOverride ?? defaultWeightDecay;
        groups.Add(group);
        cachedVersion = -1;
    }

    /// <summary>The parameter groups.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => groups;

    /// <summary>Sets the learning rate of every group.</summary>
    public double Lr
    {
        get => groups[0].Lr;
        set { foreach (var g in groups) g.Lr = value; }
    }

    /// <summary>Names of the per-parameter buffers, in the order of <see cref="ParamState.Buffers"/>.</summary>
    protected abstract string[] StateNames { get; }

    /// <summary>Applies one update to <paramref name="p"/> (contiguous, same dtype as its gradient <paramref name="grad"/>).</summary>
    protected abstract void Update(Tensor p, Tensor grad, ParamState s, ParamGroup group);

    /// <summary>
    /// Clears the gradients of every parameter: sets them to null (PyTorch's default <c>set_to_none</c>), or with
    /// <paramref name="setToNone"/> false zeroes them in place, so a training loop reuses the same gradient buffers
    /// every step (fused layers add into them; nothing is allocated). A zeroed gradient still counts as a gradient:
    /// <see cref="Step"/> then updates the parameter with it (as PyTorch with set_to_none=False).
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var (p, _) in Active()) ClearGrad(p, setToNone);
    }

    /// <summary>Sets the gradient of <paramref name="p"/> to null, or zeroes it in place where it is a plain host buffer.</summary>
    internal static void ClearGrad(Parameter p, bool setToNone)
    {
        var g = p.Grad;
        if (g == null) return;
        if (setToNone || g.RequiresGrad || g.IsLazy || g.IsOnGpu || !g.IsContiguous) p.Grad = null;
        else using (Autograd.NoGrad()) g.ZeroInPlace();
    }

    /// <summary>Updates every parameter that has a gradient, under no-grad.</summary>
    public void Step()
    {
        using var _ = Autograd.NoGrad();
        foreach (var (p, group) in Active())
        {
            var grad = p.Grad;
            if (grad == null || !p.RequiresGrad) continue;
            var value = p.Value;
            if (!grad.ShapeSpan.SequenceEqual(value.ShapeSpan))
                throw new InvalidOperationException($"{GetType().Name}.Step: gradient of shape {Shape.Format(grad.ShapeSpan)} does not match parameter of shape {Shape.Format(value.ShapeSpan)} (was the network grown after backward? call ZeroGrad first)");
            if (grad.DType != value.DType) grad = grad.To(value.DType);
            if (!grad.IsContiguous) grad = grad.Contiguous();
            var s = StateOf(p);
            s.Step++;
            Update(value, grad, s, group);
            value.storage.Version++;
        }
    }

    /// <summary>The current (parameter, group) list, rebuilt only after a structural change.</summary>
    protected List<(Parameter Parameter, ParamGroup Group)> Active()
    {
        int version = Module.StructureVersion;
        if (version == cachedVersion) return active;
        active.Clear();
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var g in groups)
            foreach (var p in g.Parameters)
                if (seen.Add(p)) active.Add((p, g));
        List<Parameter>? gone = null;
        foreach (var p in state.Keys) if (!seen.Contains(p)) (gone ??= []).Add(p);
        if (gone != null) foreach (var p in gone) state.Remove(p);
        cachedVersion = version;
        return active;
    }

    /// <summary>The state of <paramref name="p"/>, created with zero buffers or resized after growth.</summary>
    protected ParamState StateOf(Parameter p)
    {
        var value = p.Value;
        if (!state.TryGetValue(p, out var s))
        {
            s = new ParamState { Buffers = new Tensor[StateNames.Length] };
            // State outlives any Gpu.Scope the step runs in.
            for (int i = 0; i < s.Buffers.Length; i++) s.Buffers[i] = Gpu.Keep(Tensor.ZerosLike(value));
            state[p] = s;
            return s;
        }
        for (int i = 0; i < s.Buffers.Length; i++)
        {
            if (!s.Buffers[i].ShapeSpan.SequenceEqual(value.ShapeSpan) || s.Buffers[i].DType != value.DType)
                s.Buffers[i] = Gpu.Keep(ResizeKeepingOverlap(s.Buffers[i], value));
            else if (s.Buffers[i].Device != value.Device)
                s.Buffers[i] = Gpu.Keep(s.Buffers[i].To(value.Device)); // the module was moved: the state follows it
        }
        return s;
    }

    /// <summary>Number of parameters that have state (for tests and diagnostics).</summary>
    public int StateCount => state.Count;

    /// <summary>The state of <paramref name="p"/>, or null when it has none yet.</summary>
    public ParamState? GetState(Parameter p) => state.TryGetValue(p, out var s) ? s : null;

    /// <summary>
    /// A zero tensor shaped like <paramref name="like"/> holding <paramref name="old"/>'s entries where their index
    /// ranges overlap: growth appends units at the end of a dim, so old entries keep their indices.
    /// </summary>
    internal static Tensor ResizeKeepingOverlap(Tensor old, Tensor like)
    {
        var fresh = Tensor.ZerosLike(like);
        if (old.Rank != like.Rank) return fresh;
        Tensor src = old, dst = fresh;
        for (int d = 0; d < old.Rank; d++)
        {
            int n = Math.Min(old.Size(d), like.Size(d));
            if (n == 0) return fresh;
            src = src.Narrow(d, 0, n);
            dst = dst.Narrow(d, 0, n);
        }
        using (Autograd.NoGrad()) dst.CopyInPlace(src);
        return fresh;
    }

    // ---------- state dict ----------

    /// <summary>
    /// Hyperparameters and per-parameter state as named tensors: "param_groups.{g}.lr", "param_groups.{g}.weight_decay",
    /// "state.{i}.step", "state.{i}.{buffer}", where i is the parameter's position across groups.
    /// </summary>
    public StateDict StateDict()
    {
        var sd = new StateDict();
        for (int g = 0; g < groups.Count; g++)
        {
            sd[$"param_groups.{g}.lr"] = Tensor.Scalar(groups[g].Lr, DType.Float64);
            sd[$"param_groups.{g}.initial_lr"] = Tensor.Scalar(groups[g].InitialLr, DType.Float64);
            sd[$"param_groups.{g}.weight_decay"] = Tensor.Scalar(groups[g].WeightDecay, DType.Float64);
        }
        var list = Active();
        var names = StateNames;
        for (int i = 0; i < list.Count; i++)
        {
            if (!state.TryGetValue(list[i].Parameter, out var s)) continue;
            sd[$"state.{i}.step"] = Tensor.Scalar(s.Step, DType.Int64);
            for (int b = 0; b < names.Length; b++) sd[$"state.{i}.{names[b]}"] = s.Buffers[b].Clone();
        }
        return sd;
    }

    /// <summary>Restores <see cref="StateDict"/>; checks group count, parameter count and shapes before changing anything.</summary>
    public void LoadStateDict(StateDict sd)
    {
        var list = Active();
        var names = StateNames;
        var loaded = new List<(Parameter, ParamState)>();
        for (int g = 0; g < groups.Count; g++)
            if (!sd.ContainsKey($"param_groups.{g}.lr"))
                throw new ArgumentException($"{GetType().Name}.LoadStateDict: missing key param_groups.{g}.lr (the optimizer has {groups.Count} groups)");
        if (sd.ContainsKey($"param_groups.{groups.Count}.lr"))
            throw new ArgumentException($"{GetType().Name}.LoadStateDict: the state has more than {groups.Count} parameter groups");
        var known = new HashSet<string>();
        for (int g = 0; g < groups.Count; g++)
        {
            known.Add($"param_groups.{g}.lr"); known.Add($"param_groups.{g}.initial_lr"); known.Add($"param_groups.{g}.weight_decay");
        }
        for (int i = 0; i < list.Count; i++)
        {
            if (!sd.TryGetValue($"state.{i}.step", out var step)) continue;
            known.Add($"state.{i}.step");
            var s = new ParamState { Step = (long)step.Item(), Buffers = new Tensor[names.Length] };
            var value = list[i].Parameter.Value;
            for (int b = 0; b < names.Length; b++)
            {
                var key = $"state.{i}.{names[b]}";
                known.Add(key);
                if (!sd.TryGetValue(key, out var buf)) throw new ArgumentException($"{GetType().Name}.LoadStateDict: missing key {key}");
                if (!buf.ShapeSpan.SequenceEqual(value.ShapeSpan))
                    throw new ArgumentException($"{GetType().Name}.LoadStateDict: {key} has shape {Shape.Format(buf.ShapeSpan)} but parameter {i} has shape {Shape.Format(value.ShapeSpan)}");
                s.Buffers[b] = buf.To(value.DType).Clone();
            }
            loaded.Add((list[i].Parameter, s));
        }
        foreach (var key in sd.Keys)
            if (!known.Contains(key))
                throw new ArgumentException($"{GetType().Name}.LoadStateDict: unexpected key {key} (the optimizer has {list.Count} parameters with buffers [{string.Join(", ", names)}])");
        for (int g = 0; g < groups.Count; g++)
        {
            groups[g].Lr = sd[$"param_groups.{g}.lr"].Item();
            if (sd.TryGetValue($"param_groups.{g}.initial_lr", out var il)) groups[g].InitialLr = il.Item();
            if (sd.TryGetValue($"param_groups.{g}.weight_decay", out var wd)) groups[g].WeightDecay = wd.Item();
        }
        state.Clear();
        foreach (var (p, s) in loaded) state[p] = s;
    }

    /// <summary>One group over a whole module (live), for the common single-group case.</summary>
    protected static ParamGroup[] GroupsOf(Module module) => [new ParamGroup(module)];

    /// <summary>One fixed group over <paramref name="parameters"/>.</summary>
    protected static ParamGroup[] GroupsOf(IEnumerable<Parameter> parameters) => [new ParamGroup(parameters)];
}
