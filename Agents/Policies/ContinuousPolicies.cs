using RlPlat.Agents.Algorithms;
using RlPlat.Engine;
using RlPlat.Engine.Distributions;
using RlPlat.Engine.NN;

namespace RlPlat.Agents.Policies;

/// <summary>
/// SAC's actor: an MLP giving the mean and log std (clamped to [-20, 2]) of a Gaussian whose samples are squashed by
/// tanh into [-1, 1]; the log-probability includes the tanh change of variables.
/// </summary>
public sealed class SquashedGaussianActor : Module
{
    private const double LogStdMin = -20, LogStdMax = 2;
    private readonly Sequential trunk;
    private readonly Linear mean, logStd;

    /// <summary>Builds the actor for <paramref name="spaces"/> (Box actions).</summary>
    public SquashedGaussianActor(AgentSpaces spaces, NetworkOptions options, Generator generator)
    {
        trunk = RegisterModule("trunk", Networks.Trunk(spaces.ObservationSize, options, generator))!;
        mean = RegisterModule("mean", Networks.Head(options.NetArch[^1], spaces.ActionSize, false, 1, generator))!;
        logStd = RegisterModule("log_std", Networks.Head(options.NetArch[^1], spaces.ActionSize, false, 1, generator))!;
    }

    /// <summary>Squashed actions in [-1, 1] [B, act] and their log-probabilities [B] (reparameterized: gradients flow).</summary>
    public (Tensor Actions, Tensor LogProb) Sample(Tensor observations, Generator generator)
    {
        var (mu, std) = Gaussian(observations);
        return new TanhGaussian(mu, std).RSampleWithLogProb(generator);
    }

    /// <summary>The deterministic action tanh(mean) [B, act].</summary>
    public Tensor Mode(Tensor observations) => mean.Forward(trunk.Forward(observations)).Tanh();

    private (Tensor Mean, Tensor Std) Gaussian(Tensor observations)
    {
        Tensor features = trunk.Forward(observations);
        return (mean.Forward(features), logStd.Forward(features).Clamp(LogStdMin, LogStdMax).Exp());
    }
}

/// <summary>TD3's actor: an MLP with a tanh output giving actions in [-1, 1].</summary>
public sealed class DeterministicActor : Module
{
    private readonly Sequential net;

    /// <summary>Builds the actor for <paramref name="spaces"/> (Box actions).</summary>
    public DeterministicActor(AgentSpaces spaces, NetworkOptions options, Generator generator)
    {
        net = RegisterModule("net", Networks.Trunk(spaces.ObservationSize, options, generator))!;
        net.Append(Networks.Head(options.NetArch[^1], spaces.ActionSize, false, 1, generator));
        net.Append(new Tanh());
    }

    /// <summary>Actions in [-1, 1] [B, act].</summary>
    public override Tensor Forward(Tensor observations) => net.Forward(observations);
}

/// <summary>Twin Q-functions Q1(s, a), Q2(s, a) over the concatenated observation and [-1, 1]-scaled action (clipped double Q).</summary>
public sealed class TwinCritic : Module
{
    private readonly Sequential q1, q2;

    /// <summary>Builds both critics for <paramref name="spaces"/>.</summary>
    public TwinCritic(AgentSpaces spaces, NetworkOptions options, Generator generator)
    {
        q1 = RegisterModule("q1", Critic(spaces, options, generator))!;
        q2 = RegisterModule("q2", Critic(spaces, options, generator))!;
    }

    /// <summary>Both estimates [B] each.</summary>
    public (Tensor Q1, Tensor Q2) Forward(Tensor observations, Tensor actions)
    {
        Tensor input = Tensor.Cat([observations, actions], 1);
        return (q1.Forward(input).Squeeze(-1), q2.Forward(input).Squeeze(-1));
    }

    /// <summary>Q1 only (TD3's actor loss).</summary>
    public Tensor Q1(Tensor observations, Tensor actions) => q1.Forward(Tensor.Cat([observations, actions], 1)).Squeeze(-1);

    private static Sequential Critic(AgentSpaces spaces, NetworkOptions options, Generator generator)
    {
        var net = Networks.Trunk(spaces.ObservationSize + spaces.ActionSize, options, generator);
        net.Append(Networks.Head(options.NetArch[^1], 1, false, 1, generator));
        return net;
    }
}

/// <summary>Maps actions between the env's Box and [-1, 1] (the range tanh policies and the critics work in).</summary>
public sealed class ActionScaler(AgentSpaces spaces)
{
    private readonly double[] low = spaces.ActionLow, high = spaces.ActionHigh;

    /// <summary>[-1, 1] to the Box, in place.</summary>
    public void ToEnv(Span<float> actions)
    {
        for (int i = 0; i < actions.Length; i++)
        {
            int j = i % low.Length;
            actions[i] = (float)(low[j] + (actions[i] + 1) * 0.5 * (high[j] - low[j]));
        }
    }

    /// <summary>Box to [-1, 1], into <paramref name="destination"/>.</summary>
    public void FromEnv(ReadOnlySpan<float> actions, Span<float> destination)
    {
        for (int i = 0; i < actions.Length; i++)
        {
            int j = i % low.Length;
            destination[i] = (float)(2 * (actions[i] - low[j]) / (high[j] - low[j]) - 1);
        }
    }
}
