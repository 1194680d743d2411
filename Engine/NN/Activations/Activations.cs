namespace RlPlat.Engine.NN;

/// <summary>max(0, x).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>tanh(x).</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>1 / (1 + exp(-x)).</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>x for x ≥ 0, slope·x below.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <inheritdoc/>
    public override string ToString() => $"LeakyReLU({NegativeSlope})";
}

/// <summary>x for x ≥ 0, alpha·(exp(x) - 1) below.</summary>
public sealed class ELU(double alpha = 1.0) : Module
{
    /// <summary>The scale of the negative part.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);
}

/// <summary>Scaled ELU with the self-normalizing constants.</summary>
public sealed class SELU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Selu();
}

/// <summary>x·Φ(x) (exact, erf-based).</summary>
public sealed class GELU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Gelu();
}

/// <summary>x·sigmoid(x) (swish).</summary>
public sealed class SiLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Silu();
}

/// <summary>log(1 + exp(x)).</summary>
public sealed class Softplus : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softplus();
}

/// <summary>Returns its input unchanged.</summary>
public sealed class Identity : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input;
}

/// <summary>Softmax over <see cref="Dim"/>.</summary>
public sealed class Softmax(int dim = -1) : Module
{
    /// <summary>The dimension that sums to one.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softmax(Dim);
}

/// <summary>Log-softmax over <see cref="Dim"/>.</summary>
public sealed class LogSoftmax(int dim = -1) : Module
{
    /// <summary>The normalized dimension.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LogSoftmax(Dim);
}

/// <summary>Activation modules by name, for configs ("relu", "tanh", "leaky_relu", ...).</summary>
public static class Activation
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static readonly string[] Names = ["relu", "tanh", "sigmoid", "leaky_relu", "elu", "selu", "gelu", "silu", "softplus", "identity"];

    /// <summary>A new activation module called <paramref name="name"/> (case-insensitive).</summary>
    public static Module Create(string name) => name.ToLowerInvariant() switch
    {
        "relu" => new ReLU(),
        "tanh" => new Tanh(),
        "sigmoid" => new Sigmoid(),
        "leaky_relu" or "leakyrelu" => new LeakyReLU(),
        "elu" => new ELU(),
        "selu" => new SELU(),
        "gelu" => new GELU(),
        "silu" or "swish" => new SiLU(),
        "softplus" => new Softplus(),
        "identity" or "linear" or "none" => new Identity(),
        _ => throw new ArgumentException($"Activation.Create: unknown activation '{name}'; known: {string.Join(", ", Names)}"),
    };

    /// <summary>The name <see cref="Init.CalculateGain"/> uses for an activation module.</summary>
    public static string GainName(Module activation) => activation switch
    {
        ReLU => "relu",
        Tanh => "tanh",
        Sigmoid => "sigmoid",
        LeakyReLU => "leaky_relu",
        SELU => "selu",
        _ => "linear",
    };
}
