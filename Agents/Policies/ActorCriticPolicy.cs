using RlPlat.Agents.Algorithms;
using RlPlat.Engine;
using RlPlat.Engine.Distributions;
using RlPlat.Engine.NN;

namespace RlPlat.Agents.Policies;

/// <summary>
/// An MLP actor-critic (SB3's <c>ActorCriticPolicy</c>): separate actor and critic trunks by default, or one shared
/// trunk; a categorical head for Discrete actions (with optional masks) or a diagonal Gaussian with a state-independent
/// learned log std for Box actions; a scalar value head.
/// </summary>
public sealed class ActorCriticPolicy : Module
{
    private readonly Sequential? shared, actorTrunk, criticTrunk;
    private readonly Linear actionHead, valueHead;
    private readonly Parameter? logStd;
    private readonly PixelEncoder? encoder;

    /// <summary>Builds the networks for <paramref name="spaces"/>, initialized from <paramref name="generator"/>.</summary>
    public ActorCriticPolicy(AgentSpaces spaces, NetworkOptions options, Generator generator)
    {
        Spaces = spaces;
        int features = options.NetArch[^1], inputs = spaces.ObservationSize;
        // Pixel observations go through one CNN shared by actor and critic (SB3's default for images).
        if (PixelEncoder.IsImage(spaces))
        {
            encoder = RegisterModule("encoder", new PixelEncoder(spaces.ObservationShape, generator));
            inputs = encoder!.Features;
        }
        if (options.ShareTrunk) shared = RegisterModule("shared", Networks.Trunk(inputs, options, generator));
        else
        {
            actorTrunk = RegisterModule("actor", Networks.Trunk(inputs, options, generator));
            criticTrunk = RegisterModule("critic", Networks.Trunk(inputs, options, generator));
        }
        int outputs = spaces.IsDiscrete ? spaces.ActionCount : spaces.ActionSize;
        actionHead = RegisterModule("action_head", Networks.Head(features, outputs, options.OrthoInit, 0.01, generator))!;
        valueHead = RegisterModule("value_head", Networks.Head(features, 1, options.OrthoInit, 1.0, generator))!;
        if (!spaces.IsDiscrete) logStd = RegisterParameter("log_std", Tensor.Full([spaces.ActionSize], options.LogStdInit));
    }

    /// <summary>The spaces the policy was built for.</summary>
    public AgentSpaces Spaces { get; }

    /// <summary>The action distribution and the value [B] for observations [B, obs].</summary>
    public (Distribution Distribution, Tensor Value) Evaluate(Tensor observations, Tensor? masks = null)
    {
        observations = Encode(observations);
        if (shared != null)
        {
            var features = shared.Forward(observations);
            return (Head(actionHead.Forward(features), masks), valueHead.Forward(features).Squeeze(-1));
        }
        // Separate trunks each feed one head: trunk and head run as one stack (the features reuse memory).
        return (Head(actorTrunk!.Forward(observations, actionHead), masks), criticTrunk!.Forward(observations, valueHead).Squeeze(-1));
    }

    /// <summary>The action distribution only.</summary>
    public Distribution Distribution(Tensor observations, Tensor? masks = null) =>
        Head(shared != null ? actionHead.Forward(shared.Forward(Encode(observations))) : actorTrunk!.Forward(Encode(observations), actionHead), masks);

    /// <summary>The value V(s) [B] only.</summary>
    public Tensor Value(Tensor observations) =>
        (shared != null ? valueHead.Forward(shared.Forward(Encode(observations))) : criticTrunk!.Forward(Encode(observations), valueHead)).Squeeze(-1);

    private Tensor Encode(Tensor observations) => encoder != null ? encoder.Forward(observations) : observations;

    /// <summary>Log-probabilities [B] of actions stored as floats ([B, ActionSize]; discrete: the index).</summary>
    public static Tensor LogProb(Distribution distribution, Tensor actions) =>
        distribution is Categorical c ? c.LogProb(actions.Squeeze(-1)) : distribution.LogProb(actions);

    /// <summary>Writes sampled (or most likely) actions of <paramref name="distribution"/> as floats into <paramref name="actions"/>; returns them as a tensor [B, ActionSize].</summary>
    public static Tensor Choose(Distribution distribution, bool deterministic, Generator generator, Span<float> actions)
    {
        Tensor chosen = deterministic ? distribution.Mode() : distribution.Sample(generator);
        chosen = chosen.To(DType.Float32);
        if (chosen.Rank == 1) chosen = chosen.Unsqueeze(-1);
        chosen.Contiguous().AsSpan().CopyTo(actions);
        return chosen;
    }

    /// <summary>
    /// Samples actions of <paramref name="distribution"/> into <paramref name="actions"/> and returns their
    /// log-probabilities, one per row: the values and random draws of <see cref="Choose"/> then <see cref="LogProb"/>.
    /// </summary>
    public static float[] SampleWithLogProb(Distribution distribution, Generator generator, Span<float> actions)
    {
        if (distribution is not Categorical { Logits.DType: DType.Float32 } categorical)
            return LogProb(distribution, Choose(distribution, false, generator, actions)).ToArray();
        // Discrete actions: the sampled classes and their log-probabilities (LogProb's gather of the normalized logits)
        // in one managed pass instead of six small tensor ops per step.
        ReadOnlySpan<long> classes = categorical.Sample(generator).AsSpan<long>();
        ReadOnlySpan<float> logits = categorical.Logits.Contiguous().AsSpan();
        int k = categorical.NumCategories;
        var logProbs = new float[classes.Length];
        for (int b = 0; b < classes.Length; b++)
        {
            actions[b] = classes[b];
            logProbs[b] = logits[b * k + (int)classes[b]];
        }
        return logProbs;
    }

    /// <summary>The distribution for the action head's <paramref name="output"/> (logits or Gaussian means).</summary>
    private Distribution Head(Tensor output, Tensor? masks)
    {
        if (Spaces.IsDiscrete) return new Categorical(output, masks);
        if (masks != null) throw new ArgumentException("ActorCriticPolicy: action masks apply to Discrete actions only.");
        return DiagGaussian.FromLogStd(output, logStd!.Value.ExpandAs(output));
    }
}
