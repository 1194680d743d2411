namespace RlPlat.Engine.NN;

/// <summary>
/// One LSTM step (PyTorch's LSTMCell, gates in the order input, forget, cell, output):
/// i,f,g,o = split(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh); c' = σ(f)·c + σ(i)·tanh(g); h' = σ(o)·tanh(c').
/// Init U(-1/√H, 1/√H) for every weight and bias.
/// </summary>
public sealed class LSTMCell : Module
{
    /// <summary>[4H, I].</summary>
    public Parameter WeightIh { get; }
    /// <summary>[4H, H].</summary>
    public Parameter WeightHh { get; }
    /// <summary>[4H].</summary>
    public Parameter BiasIh { get; }
    /// <summary>[4H].</summary>
    public Parameter BiasHh { get; }

    /// <summary>A cell from <paramref name="inputSize"/> to <paramref name="hiddenSize"/>.</summary>
    public LSTMCell(int inputSize, int hiddenSize, Generator? generator = null, DType dtype = DType.Float32)
    {
        (WeightIh, WeightHh, BiasIh, BiasHh) = Recurrent.CreateWeights(this, 4, inputSize, hiddenSize, generator, dtype);
    }

    /// <summary>Hidden size H.</summary>
    public int HiddenSize => WeightHh.Value.Size(1);

    /// <summary>One step: x [N, I], state (h, c) each [N, H] (null: zeros) → (h', c').</summary>
    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var (h, c) = state ?? (Recurrent.Zeros(input, HiddenSize), Recurrent.Zeros(input, HiddenSize));
        var gates = Functional.Linear(input, WeightIh.Value, BiasIh.Value).Add(Functional.Linear(h, WeightHh.Value, BiasHh.Value));
        var parts = gates.Chunk(4, -1);
        var cNext = parts[1].Sigmoid().Mul(c).Add(parts[0].Sigmoid().Mul(parts[2].Tanh()));
        return (parts[3].Sigmoid().Mul(cNext.Tanh()), cNext);
    }

    /// <summary>One step from a zero state; returns h'.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).H;
}

/// <summary>
/// One GRU step (PyTorch's GRUCell, gates reset, update, new): r = σ(W_ir x + b_ir + W_hr h + b_hr),
/// z likewise, n = tanh(W_in x + b_in + r·(W_hn h + b_hn)), h' = (1 - z)·n + z·h.
/// </summary>
public sealed class GRUCell : Module
{
    /// <summary>[3H, I].</summary>
    public Parameter WeightIh { get; }
    /// <summary>[3H, H].</summary>
    public Parameter WeightHh { get; }
    /// <summary>[3H].</summary>
    public Parameter BiasIh { get; }
    /// <summary>[3H].</summary>
    public Parameter BiasHh { get; }

    /// <summary>A cell from <paramref name="inputSize"/> to <paramref name="hiddenSize"/>.</summary>
    public GRUCell(int inputSize, int hiddenSize, Generator? generator = null, DType dtype = DType.Float32)
    {
        (WeightIh, WeightHh, BiasIh, BiasHh) = Recurrent.CreateWeights(this, 3, inputSize, hiddenSize, generator, dtype);
    }

    /// <summary>Hidden size H.</summary>
    public int HiddenSize => WeightHh.Value.Size(1);

    /// <summary>One step: x [N, I], h [N, H] (null: zeros) → h'.</summary>
    public Tensor Forward(Tensor input, Tensor? hidden)
    {
        var h = hidden ?? Recurrent.Zeros(input, HiddenSize);
        var gi = Functional.Linear(input, WeightIh.Value, BiasIh.Value).Chunk(3, -1);
        var gh = Functional.Linear(h, WeightHh.Value, BiasHh.Value).Chunk(3, -1);
        var r = gi[0].Add(gh[0]).Sigmoid();
        var z = gi[1].Add(gh[1]).Sigmoid();
        var n = gi[2].Add(r.Mul(gh[2])).Tanh();
        return n.Add(z.Mul(h.Sub(n)));
    }

    /// <summary>One step from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);
}

/// <summary>
/// A multi-layer LSTM over sequences [T, N, I] (or [N, T, I] with batchFirst). Returns the top layer's outputs
/// [T, N, H] and the final (h, c) of every layer, each [layers, N, H].
/// </summary>
public sealed class LSTM : Module
{
    private readonly ModuleList cells;

    /// <summary>Stacked LSTM layers; layer k &gt; 0 takes the hidden state of layer k-1.</summary>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false, Generator? generator = null, DType dtype = DType.Float32)
    {
        if (numLayers <= 0) throw new ArgumentException($"LSTM: numLayers must be positive, got {numLayers}");
        BatchFirst = batchFirst;
        cells = RegisterModule("cells", new ModuleList())!;
        for (int l = 0; l < numLayers; l++) cells.Append(new LSTMCell(l == 0 ? inputSize : hiddenSize, hiddenSize, generator, dtype));
    }

    /// <summary>Whether inputs and outputs are [N, T, *].</summary>
    public bool BatchFirst { get; }

    /// <summary>Number of stacked layers.</summary>
    public int NumLayers => cells.Count;

    /// <summary>Runs the sequence from <paramref name="state"/> (each [layers, N, H]; null: zeros).</summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var x = Recurrent.TimeMajor(input, BatchFirst, "LSTM");
        var hs = new Tensor[NumLayers];
        var cs = new Tensor[NumLayers];
        var layerInput = x.Unbind(0);
        for (int l = 0; l < NumLayers; l++)
        {
            var cell = (LSTMCell)cells[l];
            (Tensor, Tensor)? s = state is { } st ? (st.H.Select(0, l), st.C.Select(0, l)) : null;
            var outs = new Tensor[layerInput.Length];
            for (int t = 0; t < layerInput.Length; t++)
            {
                s = cell.Forward(layerInput[t], s);
                outs[t] = s.Value.Item1;
            }
            (hs[l], cs[l]) = s!.Value;
            layerInput = outs;
        }
        var output = Tensor.Stack(layerInput, 0);
        return (BatchFirst ? output.Transpose(0, 1) : output, (Tensor.Stack(hs, 0), Tensor.Stack(cs, 0)));
    }

    /// <summary>The outputs from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;
}

/// <summary>A multi-layer GRU over sequences [T, N, I] (or [N, T, I] with batchFirst); final hidden [layers, N, H].</summary>
public sealed class GRU : Module
{
    private readonly ModuleList cells;

    /// <summary>Stacked GRU layers.</summary>
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false, Generator? generator = null, DType dtype = DType.Float32)
    {
        if (numLayers <= 0) throw new ArgumentException($"GRU: numLayers must be positive, got {numLayers}");
        BatchFirst = batchFirst;
        cells = RegisterModule("cells", new ModuleList())!;
        for (int l = 0; l < numLayers; l++) cells.Append(new GRUCell(l == 0 ? inputSize : hiddenSize, hiddenSize, generator, dtype));
    }

    /// <summary>Whether inputs and outputs are [N, T, *].</summary>
    public bool BatchFirst { get; }

    /// <summary>Number of stacked layers.</summary>
    public int NumLayers => cells.Count;

    /// <summary>Runs the sequence from <paramref name="hidden"/> ([layers, N, H]; null: zeros).</summary>
    public (Tensor Output, Tensor Hidden) Forward(Tensor input, Tensor? hidden)
    {
        var x = Recurrent.TimeMajor(input, BatchFirst, "GRU");
        var hs = new Tensor[NumLayers];
        var layerInput = x.Unbind(0);
        for (int l = 0; l < NumLayers; l++)
        {
            var cell = (GRUCell)cells[l];
            var h = hidden?.Select(0, l);
            var outs = new Tensor[layerInput.Length];
            for (int t = 0; t < layerInput.Length; t++) outs[t] = h = cell.Forward(layerInput[t], h);
            hs[l] = h!;
            layerInput = outs;
        }
        var output = Tensor.Stack(layerInput, 0);
        return (BatchFirst ? output.Transpose(0, 1) : output, Tensor.Stack(hs, 0));
    }

    /// <summary>The outputs from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;
}

/// <summary>Shared pieces of the recurrent layers.</summary>
internal static class Recurrent
{
    public static (Parameter, Parameter, Parameter, Parameter) CreateWeights(Module m, int gates, int inputSize, int hiddenSize, Generator? generator, DType dtype)
    {
        if (inputSize <= 0 || hiddenSize <= 0) throw new ArgumentException($"{m.GetType().Name}: sizes must be positive, got input {inputSize}, hidden {hiddenSize}");
        double k = 1 / Math.Sqrt(hiddenSize);
        Parameter Make(string name, params int[] shape)
        {
            var p = m.RegisterParameter(name, Tensor.Zeros(dtype, shape));
            Init.Uniform(p.Value, -k, k, generator);
            return p;
        }
        return (Make("weight_ih", gates * hiddenSize, inputSize), Make("weight_hh", gates * hiddenSize, hiddenSize),
            Make("bias_ih", gates * hiddenSize), Make("bias_hh", gates * hiddenSize));
    }

    public static Tensor Zeros(Tensor like, int hidden) => Tensor.Zeros(like.DType, like.Size(0), hidden);

    public static Tensor TimeMajor(Tensor input, bool batchFirst, string op)
    {
        if (input.Rank != 3) throw new ArgumentException($"{op}: expects a sequence [{(batchFirst ? "N, T" : "T, N")}, I], got {Shape.Format(input.ShapeSpan)}");
        return batchFirst ? input.Transpose(0, 1) : input;
    }
}
