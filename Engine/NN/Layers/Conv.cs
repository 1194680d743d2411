namespace RlPlat.Engine.NN;

/// <summary>
/// 2-D convolution over [N, C, H, W] with stride, padding, dilation and groups. Weight [O, C/groups, kh, kw]; default
/// init as PyTorch: U(-1/√fan_in, 1/√fan_in) for weight and bias.
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>The kernels, [OutChannels, InChannels/Groups, kh, kw].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias [OutChannels], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>Window stride (height, width).</summary>
    public (int H, int W) Stride { get; }

    /// <summary>Zero padding (height, width).</summary>
    public (int H, int W) Padding { get; }

    /// <summary>Kernel dilation (height, width).</summary>
    public (int H, int W) Dilation { get; }

    /// <summary>Number of channel groups.</summary>
    public int Groups { get; }

    /// <summary>A square-kernel convolution.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true, Generator? generator = null, DType dtype = DType.Float32)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, generator, dtype) { }

    /// <summary>A convolution with separate height and width settings.</summary>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups = 1, bool bias = true, Generator? generator = null, DType dtype = DType.Float32)
    {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv2d: channels in={inChannels}, out={outChannels} must be positive multiples of groups={groups}");
        Stride = stride; Padding = padding; Dilation = dilation; Groups = groups;
        Weight = RegisterParameter("weight", Tensor.Zeros(dtype, outChannels, inChannels / groups, kernelSize.H, kernelSize.W));
        Init.KaimingUniform(Weight.Value, a: Math.Sqrt(5), generator: generator);
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inChannels / groups * kernelSize.H * kernelSize.W);
            Bias = RegisterParameter("bias", Tensor.Zeros(dtype, outChannels));
            Init.Uniform(Bias.Value, -bound, bound, generator);
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels => Weight.Value.Size(1) * Groups;

    /// <summary>Output channels.</summary>
    public int OutChannels => Weight.Value.Size(0);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Size(1) != InChannels)
            throw new ArgumentException($"{this}: expects input [N, {InChannels}, H, W], got {Shape.Format(input.ShapeSpan)}");
        return Functional.Conv2d(input, Weight.Value, Bias?.Value, Stride.H, Stride.W, Padding.H, Padding.W, Dilation.H, Dilation.W, Groups);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Conv2d({InChannels}, {OutChannels}, kernel=({Weight.Value.Size(2)}, {Weight.Value.Size(3)}), stride={Stride}, padding={Padding})";
}

/// <summary>1-D convolution over [N, C, L]. Weight [O, C/groups, k]; default init as PyTorch.</summary>
public sealed class Conv1d : Module
{
    /// <summary>The kernels, [OutChannels, InChannels/Groups, k].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias [OutChannels], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>Window stride.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }

    /// <summary>Kernel dilation.</summary>
    public int Dilation { get; }

    /// <summary>Number of channel groups.</summary>
    public int Groups { get; }

    /// <summary>A 1-D convolution.</summary>
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true, Generator? generator = null, DType dtype = DType.Float32)
    {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv1d: channels in={inChannels}, out={outChannels} must be positive multiples of groups={groups}");
        Stride = stride; Padding = padding; Dilation = dilation; Groups = groups;
        Weight = RegisterParameter("weight", Tensor.Zeros(dtype, outChannels, inChannels / groups, kernelSize));
        Init.KaimingUniform(Weight.Value, a: Math.Sqrt(5), generator: generator);
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inChannels / groups * kernelSize);
            Bias = RegisterParameter("bias", Tensor.Zeros(dtype, outChannels));
            Init.Uniform(Bias.Value, -bound, bound, generator);
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv1d(input, Weight.Value, Bias?.Value, Stride, Padding, Dilation, Groups);

    /// <inheritdoc/>
    public override string ToString() => $"Conv1d({Weight.Value.Size(1) * Groups}, {Weight.Value.Size(0)}, kernel={Weight.Value.Size(2)}, stride={Stride}, padding={Padding})";
}

/// <summary>Max pooling over square (or rectangular) windows; stride defaults to the kernel size.</summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    /// <summary>The window.</summary>
    public Window2d Window { get; } = new(kernelSize, kernelSize, stride ?? kernelSize, stride ?? kernelSize, padding, padding);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, Window);
}

/// <summary>Average pooling; stride defaults to the kernel size; zero padding is counted.</summary>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    /// <summary>The window.</summary>
    public Window2d Window { get; } = new(kernelSize, kernelSize, stride ?? kernelSize, stride ?? kernelSize, padding, padding);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, Window);
}

/// <summary>Average pooling to a fixed output size.</summary>
public sealed class AdaptiveAvgPool2d(int outH, int outW) : Module
{
    /// <summary>Output size.</summary>
    public (int H, int W) OutputSize { get; } = (outH, outW);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, OutputSize.H, OutputSize.W);
}

/// <summary>Flattens dims <see cref="StartDim"/>..<see cref="EndDim"/> (default: all but the batch dim).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <summary>First flattened dim.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>Last flattened dim.</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);
}
