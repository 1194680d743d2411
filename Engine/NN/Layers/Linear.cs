namespace RlPlat.Engine.NN;

/// <summary>
/// y = x·Wᵀ + b, with weight [out, in] and bias [out]. Default init as PyTorch: weight and bias U(-1/√in, 1/√in)
/// (kaiming_uniform with a = √5).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>The weight, shape [OutFeatures, InFeatures].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, shape [OutFeatures], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>A linear layer with PyTorch's default init, seeded by <paramref name="generator"/>.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null, DType dtype = DType.Float32)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentException($"Linear: features must be positive, got in={inFeatures}, out={outFeatures}");
        Weight = RegisterParameter("weight", Tensor.Zeros(dtype, outFeatures, inFeatures));
        Init.KaimingUniform(Weight.Value, a: Math.Sqrt(5), generator: generator);
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inFeatures);
            Bias = RegisterParameter("bias", Tensor.Zeros(dtype, outFeatures));
            Init.Uniform(Bias.Value, -bound, bound, generator);
        }
    }

    /// <summary>Input features (follows the weight, which growth may replace).</summary>
    public int InFeatures => Weight.Value.Size(1);

    /// <summary>Output features.</summary>
    public int OutFeatures => Weight.Value.Size(0);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, LinearActivation.None);

    /// <summary>activation(x·Wᵀ + b) as one fused op (what <see cref="Sequential"/> runs for a Linear followed by ReLU, Tanh or Sigmoid).</summary>
    public Tensor Forward(Tensor input, LinearActivation activation)
    {
        CheckInput(input);
        return Functional.Linear(input, Weight.Value, Bias?.Value, activation);
    }

    /// <summary>
    /// Like <see cref="Forward(Tensor, LinearActivation)"/>, for an output that only the next fused layer reads: under
    /// no-grad it lands in this thread's workspace slot <paramref name="slot"/> (0 or 1), in a training step in a
    /// graph-owned buffer that backward recycles (<see cref="GraphBuffers"/>), instead of a new tensor.
    /// </summary>
    internal Tensor ForwardIntermediate(Tensor input, LinearActivation activation, int slot)
    {
        CheckInput(input);
        var (w, b) = (Weight.Value, Bias?.Value);
        if (!FusedLinear.Applies(input, w, b)) return Functional.Linear(input, w, b, activation);
        if (Autograd.IsEnabled) return FusedLinear.Forward(input, w, b, activation, intermediate: true);
        return FusedLinear.Forward(input, w, b, activation, GraphBuffers.Workspace(input.DType, input.Size(0), OutFeatures, slot));
    }

    private void CheckInput(Tensor input)
    {
        if (input.Rank == 0 || input.Size(-1) != InFeatures)
            throw new ArgumentException($"Linear({InFeatures}, {OutFeatures}): input of shape {Shape.Format(input.ShapeSpan)} does not end in {InFeatures}");
    }

    /// <inheritdoc/>
    public override string ToString() => $"Linear({InFeatures}, {OutFeatures}, bias={Bias != null})";
}
