namespace RlPlat.Engine.NN;

/// <summary>How <see cref="GrowableMlp.Deepen"/> inserts a layer.</summary>
public enum DeepenMode
{
    /// <summary>Identity layer for idempotent activations (ReLU), zero-output residual block otherwise.</summary>
    Auto,
    /// <summary>A Linear initialized to the identity, followed by the activation (exact only for ReLU-like activations).</summary>
    Identity,
    /// <summary>A residual block x + W₂·act(W₁x) with W₂ = 0 (exact for any activation).</summary>
    Residual,
}

/// <summary>What one growth did: the action and the network's shape after it.</summary>
public sealed record GrowthEvent(string Action, int[] Sizes, string Shape)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Action} -> {Shape}";
}

/// <summary>
/// An MLP policy body that can grow while it trains without changing its function: <see cref="Widen"/> a hidden
/// layer (Net2WiderNet) or <see cref="Deepen"/> after one (identity layer or zero-output residual block). Optimizers
/// built on it (live param groups) follow: old entries keep their state, new ones start at zero. A state dict of a
/// grown network loads into a freshly constructed small one: <see cref="LoadStateDict"/> first regrows to the saved shape.
/// </summary>
public sealed class GrowableMlp : Module
{
    private readonly ModuleList blocks;
    private readonly Module activation;
    private readonly Generator generator;

    /// <summary>Layers of <paramref name="sizes"/> ([in, hidden..., out]) with <paramref name="activation"/> after each hidden layer.</summary>
    public GrowableMlp(int[] sizes, string activation = "relu", Generator? generator = null)
    {
        if (sizes.Length < 2) throw new ArgumentException($"GrowableMlp: needs at least input and output sizes, got [{string.Join(", ", sizes)}]");
        ActivationName = activation;
        this.activation = Activation.Create(activation);
        this.generator = generator ?? Generator.Default;
        blocks = RegisterModule("blocks", new ModuleList())!;
        for (int i = 0; i + 1 < sizes.Length; i++) blocks.Append(new Linear(sizes[i], sizes[i + 1], generator: this.generator));
    }

    /// <summary>The activation's name.</summary>
    public string ActivationName { get; }

    /// <summary>Raised after every growth with what changed (for logs).</summary>
    public event Action<GrowthEvent>? Grown;

    /// <summary>The blocks in order: <see cref="Linear"/> layers and inserted <see cref="ResidualBlock"/>s.</summary>
    public IReadOnlyList<Module> Blocks => blocks.Items;

    /// <summary>[in, hidden..., out]: the widths of the Linear layers.</summary>
    public int[] Sizes
    {
        get
        {
            var s = new List<int>();
            foreach (var b in blocks.Items)
                if (b is Linear l) { if (s.Count == 0) s.Add(l.InFeatures); s.Add(l.OutFeatures); }
            return [.. s];
        }
    }

    /// <summary>Number of hidden layers (Linear layers but the last).</summary>
    public int HiddenLayers => Sizes.Length - 2;

    /// <summary>The shape as text: "4-64-64-2", with "r64" for a residual block of width 64.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        foreach (var b in blocks.Items)
        {
            if (b is Linear l) { if (parts.Count == 0) parts.Add(l.InFeatures.ToString()); parts.Add(l.OutFeatures.ToString()); }
            else if (b is ResidualBlock r) parts.Add("r" + r.Width);
        }
        return string.Join("-", parts);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        var list = blocks.Items;
        for (int i = 0; i < list.Count; i++)
        {
            x = list[i].Forward(x);
            if (list[i] is Linear && i + 1 < list.Count) x = activation.Forward(x);
        }
        return x;
    }

    /// <summary>Block index of the Linear that produces hidden layer <paramref name="layer"/>.</summary>
    private int ProducerIndex(int layer, string op)
    {
        int hidden = HiddenLayers;
        if (layer < 0 || layer >= hidden) throw new ArgumentException($"{op}: hidden layer {layer} does not exist; the network {Describe()} has {hidden} hidden layers (0..{hidden - 1})");
        int k = -1;
        for (int i = 0; i < blocks.Count; i++)
            if (blocks[i] is Linear && ++k == layer) return i;
        throw new InvalidOperationException($"{op}: hidden layer {layer} not found in {Describe()}");
    }

    /// <summary>Widens hidden layer <paramref name="layer"/> to <paramref name="newWidth"/> units (function preserved).</summary>
    public GrowthEvent Widen(int layer, int newWidth)
    {
        int p = ProducerIndex(layer, "Widen");
        var producer = (Linear)blocks[p];
        int old = producer.OutFeatures;
        var map = Net2Net.WidenMapping(old, newWidth, generator);
        Net2Net.WidenOutputs(producer, map);
        for (int i = p + 1; i < blocks.Count; i++)
        {
            if (blocks[i] is ResidualBlock r) { Net2Net.Widen(r, map); continue; }
            Net2Net.WidenInputs((Linear)blocks[i], map);
            break;
        }
        return Report($"widen layer {layer}: {old} -> {newWidth}");
    }

    /// <summary>Inserts a new layer after hidden layer <paramref name="afterLayer"/> (function preserved).</summary>
    public GrowthEvent Deepen(int afterLayer, DeepenMode mode = DeepenMode.Auto)
    {
        int p = ProducerIndex(afterLayer, "Deepen");
        int width = ((Linear)blocks[p]).OutFeatures;
        bool identity = mode == DeepenMode.Identity || (mode == DeepenMode.Auto && Net2Net.IsIdempotent(activation));
        if (identity)
        {
            blocks.Insert(p + 1, Net2Net.IdentityInit(new Linear(width, width, generator: generator)));
            return Report($"deepen after layer {afterLayer}: identity {width}x{width}");
        }
        blocks.Insert(p + 1, new ResidualBlock(width, Activation.Create(ActivationName), generator: generator));
        return Report($"deepen after layer {afterLayer}: residual block {width}");
    }

    private GrowthEvent Report(string action)
    {
        var e = new GrowthEvent(action, Sizes, Describe());
        Grown?.Invoke(e);
        return e;
    }

    /// <summary>Regrows the block structure to the one <paramref name="state"/> was saved from, then loads it.</summary>
    public override void LoadStateDict(StateDict state, bool strict = true)
    {
        var rebuilt = new List<Module>();
        for (int i = 0; ; i++)
        {
            if (state.TryGetValue($"blocks.{i}.weight", out var w))
            {
                if (w.Rank != 2) throw new ArgumentException($"GrowableMlp.LoadStateDict: blocks.{i}.weight has shape {Shape.Format(w.ShapeSpan)}, expected 2 dims");
                rebuilt.Add(new Linear(w.Size(1), w.Size(0), generator: generator, dtype: w.DType));
            }
            else if (state.TryGetValue($"blocks.{i}.inner.weight", out var wi))
                rebuilt.Add(new ResidualBlock(wi.Size(1), Activation.Create(ActivationName), hidden: wi.Size(0), generator: generator));
            else break;
        }
        if (rebuilt.Count == 0) throw new ArgumentException($"GrowableMlp.LoadStateDict: no blocks.0.weight in the state (keys: {string.Join(", ", state.Keys)})");
        var current = new List<Module>(blocks.Items);
        while (blocks.Count > 0) blocks.RemoveAt(blocks.Count - 1);
        foreach (var b in rebuilt) blocks.Append(b);
        try
        {
            base.LoadStateDict(state, strict);
        }
        catch
        {
            // Never leave a half-loaded network: put the old blocks back.
            while (blocks.Count > 0) blocks.RemoveAt(blocks.Count - 1);
            foreach (var b in current) blocks.Append(b);
            throw;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"GrowableMlp({Describe()}, {ActivationName})";
}
