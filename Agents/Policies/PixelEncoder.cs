using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Agents.Policies;

/// <summary>
/// A CNN feature extractor for pixel observations (SB3's <c>NatureCNN</c>): flat row-major [H, W, C] (or [H, W]) rows
/// of 0-255 values are scaled to [0, 1], laid out as [B, C, H, W] and passed through Nature DQN's conv stack
/// (32·8x8/4, 64·4x4/2, 64·3x3/1) for frames of at least 36x36, or two 3x3 stride-1 convs (32, 64) for small
/// frames, then a linear layer to <see cref="Features"/> units with ReLU.
/// </summary>
public sealed class PixelEncoder : Module
{
    private readonly int height, width, channels;
    private readonly Sequential net;

    /// <summary>An encoder for observations of shape <paramref name="shape"/> ([H, W, C] or [H, W]).</summary>
    public PixelEncoder(int[] shape, Generator generator, int features = 512)
    {
        if (shape.Length is not (2 or 3)) throw new ArgumentException($"PixelEncoder: needs an [H, W, C] or [H, W] observation, got [{string.Join(",", shape)}].");
        height = shape[0];
        width = shape[1];
        channels = shape.Length == 3 ? shape[2] : 1;
        Features = features;
        net = new Sequential();
        int h = height, w = width;
        (int Out, int Kernel, int Stride)[] layers = Math.Min(h, w) >= 36 ? [(32, 8, 4), (64, 4, 2), (64, 3, 1)] : [(32, 3, 1), (64, 3, 1)];
        int inChannels = channels;
        foreach (var (outChannels, kernel, stride) in layers)
        {
            net.Append(new Conv2d(inChannels, outChannels, kernel, stride: stride, generator: generator));
            net.Append(new ReLU());
            h = (h - kernel) / stride + 1;
            w = (w - kernel) / stride + 1;
            if (h < 1 || w < 1) throw new ArgumentException($"PixelEncoder: frames of {height}x{width} are too small for the conv stack.");
            inChannels = outChannels;
        }
        net.Append(new Flatten());
        net.Append(new Linear(inChannels * h * w, features, generator: generator));
        net.Append(new ReLU());
        RegisterModule("cnn", net);
    }

    /// <summary>Output width.</summary>
    public int Features { get; }

    /// <summary>True when observations of this shape should go through a CNN (images: [H, W, C] with C in 1..4, or [H, W] uint8).</summary>
    public static bool IsImage(AgentSpaces spaces) =>
        spaces.ObservationSpace is RlPlat.Environments.Box { DType: RlPlat.Environments.BoxDType.UInt8 } box
        && (box.Shape.Length == 2 || (box.Shape.Length == 3 && box.Shape[2] <= 4)) && box.Shape[0] >= 8 && box.Shape[1] >= 8;

    /// <summary>Features [B, Features] for flat observations [B, H*W*C].</summary>
    public override Tensor Forward(Tensor observations)
    {
        int b = observations.Size(0);
        Tensor images = observations.Reshape(b, height, width, channels).Permute(0, 3, 1, 2).Contiguous().Div(255.0);
        return net.Forward(images);
    }
}
