namespace RlPlat.Engine.NN;

/// <summary>
/// y = x + Outer(act(Inner(x))) at a fixed width. With <c>zeroOutput</c> the outer weights and bias start at zero,
/// so the block is exactly the identity when inserted and still trains (the outer layer gets gradients at once).
/// </summary>
public sealed class ResidualBlock : Module
{
    /// <summary>The first layer, width → hidden.</summary>
    public Linear Inner { get; }

    /// <summary>The activation between the two layers.</summary>
    public Module Activation { get; }

    /// <summary>The second layer, hidden → width.</summary>
    public Linear Outer { get; }

    /// <summary>A block of <paramref name="width"/> with a hidden layer of <paramref name="hidden"/> (default: width).</summary>
    public ResidualBlock(int width, Module activation, int? hidden = null, bool zeroOutput = true, Generator? generator = null)
    {
        int h = hidden ?? width;
        Inner = RegisterModule("inner", new Linear(width, h, generator: generator))!;
        Activation = RegisterModule("act", activation)!;
        Outer = RegisterModule("outer", new Linear(h, width, generator: generator))!;
        if (zeroOutput)
        {
            Init.Zeros(Outer.Weight.Value);
            Init.Zeros(Outer.Bias!.Value);
        }
    }

    /// <summary>The block's input and output width.</summary>
    public int Width => Inner.InFeatures;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Add(Outer.Forward(Activation.Forward(Inner.Forward(input))));

    /// <inheritdoc/>
    public override string ToString() => $"ResidualBlock({Width}, hidden={Inner.OutFeatures}, {Activation})";
}
