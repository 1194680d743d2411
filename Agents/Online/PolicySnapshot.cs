using System.Numerics.Tensors;
using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Agents.Online;

/// <summary>
/// An immutable copy of a <see cref="GrowableMlp"/>'s weights that evaluates the same function with plain loops over
/// float arrays: what the learner publishes and the actor reads. The actor never touches the engine's modules, so a
/// gradient step or a growth on the learner's thread can never block or corrupt an action. <see cref="Forward"/> uses
/// scratch arrays owned by the snapshot: one acting thread at a time.
/// </summary>
public sealed class PolicySnapshot
{
    private readonly Layer[] layers;
    private readonly float[] a, b, inner;
    private readonly ActivationKind activation;

    private enum ActivationKind { Relu, Tanh, Sigmoid, Silu, Identity }

    // A Linear (Weight [out, in], Bias [out]) with the activation after it, or a residual block x + outer(act(inner(x))).
    private sealed record Layer(float[] Weight, float[] Bias, int In, int Out, bool Activate, float[]? OuterWeight, float[]? OuterBias, int Hidden);

    private PolicySnapshot(Layer[] layers, ActivationKind activation, long version, string shape)
    {
        this.layers = layers;
        this.activation = activation;
        Version = version;
        Shape = shape;
        int width = 0, hidden = 0;
        foreach (var l in layers) { width = Math.Max(width, Math.Max(l.In, l.Out)); hidden = Math.Max(hidden, l.Hidden); }
        a = new float[width];
        b = new float[width];
        inner = new float[Math.Max(hidden, 1)];
        InputSize = layers[0].In;
        OutputSize = layers[^1].Out;
    }

    /// <summary>The learner's update count when this snapshot was taken.</summary>
    public long Version { get; }

    /// <summary>The network's shape (<see cref="GrowableMlp.Describe"/>).</summary>
    public string Shape { get; }

    /// <summary>Inputs expected.</summary>
    public int InputSize { get; }

    /// <summary>Outputs produced.</summary>
    public int OutputSize { get; }

    /// <summary>Copies <paramref name="net"/>'s weights (call on the thread that trains it).</summary>
    public static PolicySnapshot Capture(GrowableMlp net, long version)
    {
        ArgumentNullException.ThrowIfNull(net);
        var kind = net.ActivationName.ToLowerInvariant() switch
        {
            "relu" => ActivationKind.Relu,
            "tanh" => ActivationKind.Tanh,
            "sigmoid" => ActivationKind.Sigmoid,
            "silu" or "swish" => ActivationKind.Silu,
            "identity" or "linear" or "none" => ActivationKind.Identity,
            var other => throw new ArgumentException($"PolicySnapshot: activation '{other}' is not supported for acting; use relu, tanh, sigmoid, silu or identity."),
        };
        var blocks = net.Blocks;
        var layers = new Layer[blocks.Count];
        for (int i = 0; i < blocks.Count; i++)
        {
            layers[i] = blocks[i] switch
            {
                Linear l => new Layer(Copy(l.Weight), Copy(l.Bias), l.InFeatures, l.OutFeatures, i + 1 < blocks.Count, null, null, 0),
                ResidualBlock r => new Layer(Copy(r.Inner.Weight), Copy(r.Inner.Bias), r.Width, r.Width, false, Copy(r.Outer.Weight), Copy(r.Outer.Bias), r.Inner.OutFeatures),
                var other => throw new ArgumentException($"PolicySnapshot: block {i} is a {other.GetType().Name}; only Linear and ResidualBlock are supported."),
            };
        }
        return new PolicySnapshot(layers, kind, version, net.Describe());
    }

    private static float[] Copy(Parameter? p)
    {
        if (p is null) return [];
        using var _ = Autograd.NoGrad();
        var v = p.Value.DType == DType.Float32 ? p.Value : p.Value.To(DType.Float32);
        return v.Contiguous().AsSpan<float>().ToArray();
    }

    /// <summary>Evaluates the network on one input into <paramref name="output"/>; no allocation.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != InputSize || output.Length != OutputSize)
            throw new ArgumentException($"PolicySnapshot.Forward: got {input.Length} inputs and {output.Length} outputs, the network {Shape} takes {InputSize} and gives {OutputSize}.");
        input.CopyTo(a);
        float[] x = a, y = b;
        foreach (var l in layers)
        {
            if (l.OuterWeight is null)
            {
                Affine(l.Weight, l.Bias, x.AsSpan(0, l.In), y.AsSpan(0, l.Out));
                if (l.Activate) Activate(y.AsSpan(0, l.Out));
                (x, y) = (y, x);
            }
            else
            {
                // Residual: x += outer(act(inner(x))), in place.
                var h = inner.AsSpan(0, l.Hidden);
                Affine(l.Weight, l.Bias, x.AsSpan(0, l.In), h);
                Activate(h);
                Affine(l.OuterWeight, l.OuterBias!, h, y.AsSpan(0, l.Out));
                TensorPrimitives.Add(x.AsSpan(0, l.Out), y.AsSpan(0, l.Out), x.AsSpan(0, l.Out));
            }
        }
        x.AsSpan(0, OutputSize).CopyTo(output);
    }

    private static void Affine(float[] weight, float[] bias, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length;
        for (int o = 0; o < y.Length; o++)
            y[o] = TensorPrimitives.Dot(weight.AsSpan(o * n, n), x) + (bias.Length > 0 ? bias[o] : 0f);
    }

    private void Activate(Span<float> v)
    {
        switch (activation)
        {
            case ActivationKind.Relu: TensorPrimitives.Max(v, 0f, v); break;
            case ActivationKind.Tanh: TensorPrimitives.Tanh(v, v); break;
            case ActivationKind.Sigmoid: TensorPrimitives.Sigmoid(v, v); break;
            case ActivationKind.Silu: for (int i = 0; i < v.Length; i++) v[i] /= 1f + MathF.Exp(-v[i]); break;
        }
    }
}
