using RlPlat.Agents.Algorithms;
using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Agents.Policies;

/// <summary>
/// Q(s, ·) for Discrete actions: a CNN encoder for pixel observations, an MLP trunk and either a plain linear head or a dueling head
/// (Wang et al. 2016): Q = V(s) + A(s, a) - mean_a A(s, a).
/// </summary>
public sealed class QNetwork : Module
{
    private readonly Sequential trunk;
    private readonly Linear head;
    private readonly Linear? valueHead;
    private readonly PixelEncoder? encoder;

    /// <summary>Builds the network for <paramref name="spaces"/> (Discrete actions only).</summary>
    public QNetwork(AgentSpaces spaces, NetworkOptions options, Generator generator)
    {
        if (!spaces.IsDiscrete) throw new ArgumentException($"QNetwork: needs Discrete actions, got {spaces.ActionSpace}.");
        int inputs = spaces.ObservationSize;
        if (PixelEncoder.IsImage(spaces))
        {
            encoder = RegisterModule("encoder", new PixelEncoder(spaces.ObservationShape, generator));
            inputs = encoder!.Features;
        }
        trunk = RegisterModule("trunk", Networks.Trunk(inputs, options, generator))!;
        int features = options.NetArch[^1];
        head = RegisterModule("q_head", Networks.Head(features, spaces.ActionCount, options.OrthoInit, 1.0, generator))!;
        if (options.Dueling) valueHead = RegisterModule("value_head", Networks.Head(features, 1, options.OrthoInit, 1.0, generator));
    }

    /// <summary>True when the head is dueling.</summary>
    public bool Dueling => valueHead != null;

    /// <summary>Q values [B, actions] for observations [B, obs].</summary>
    public override Tensor Forward(Tensor observations)
    {
        Tensor inputs = encoder != null ? encoder.Forward(observations) : observations;
        // The plain head reads the trunk's features alone: the trunk and head run as one stack (features reuse memory).
        if (valueHead == null) return trunk.Forward(inputs, head);
        Tensor features = trunk.Forward(inputs);
        Tensor q = head.Forward(features);
        return valueHead.Forward(features).Add(q.Sub(q.Mean(-1, keepDim: true)));
    }
}
