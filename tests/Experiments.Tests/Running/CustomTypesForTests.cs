using RlPlat.Agents;
using RlPlat.Connectors.Plugins;
using RlPlat.Environments;

namespace RlPlat.Experiments.Tests.Running;

/// <summary>A chain of <c>n</c> states with Discrete observations: action 1 moves right; the last state pays 1 and ends the episode.</summary>
public sealed class TestChainEnv(int n = 5, int maxSteps = 30) : Env<int, int>
{
    private int state, steps;

    /// <summary>The id the tests register it under.</summary>
    public const string Id = "TestChain-v0";

    /// <summary>Registers <see cref="Id"/> (again: harmless).</summary>
    public static void Register() => Gym.Register(Id, _ => new TestChainEnv(), maxEpisodeSteps: 30);

    public override Space ObservationSpace { get; } = new Discrete(n);

    public override Space ActionSpace { get; } = new Discrete(2);

    protected override (int Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        state = 0;
        steps = 0;
        return (state, Info.Empty);
    }

    public override StepResult<int> Step(int action)
    {
        state = action == 1 ? state + 1 : Math.Max(0, state - 1);
        steps++;
        bool terminated = state == n - 1;
        return new(state, terminated ? 1.0 : 0.0, terminated, !terminated && steps >= maxSteps, Info.Empty);
    }
}

/// <summary>A custom agent defined outside the agents layer: always takes action <c>action</c> (hyperparameter), learns nothing.</summary>
public sealed class ConstantActionAgent : IAgent
{
    private readonly int action;

    public ConstantActionAgent(AgentSpaces spaces, IReadOnlyDictionary<string, object?>? hyperparameters, int seed)
    {
        Spaces = spaces;
        action = hyperparameters != null && hyperparameters.TryGetValue("action", out var a) ? Convert.ToInt32(a) : 0;
        if (hyperparameters != null)
            foreach (var key in hyperparameters.Keys)
                if (key != "action") throw new ArgumentException($"ConstantActionAgent: unknown hyperparameter '{key}'");
    }

    public AgentSpaces Spaces { get; }

    public long NumTimesteps { get; private set; }

    public bool ReadyToLearn => false;

    public void Act(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic, ReadOnlySpan<bool> actionMasks = default)
        => actions[..batch].Fill(action);

    public void Observe(TransitionBatch transitions) => NumTimesteps += transitions.NumEnvs;

    public IReadOnlyDictionary<string, double> Learn() => new Dictionary<string, double>();

    public void SetProgressRemaining(double progressRemaining) { }

    public PolicyWeights GetWeights() => new();

    public void SetWeights(PolicyWeights weights) { }

    public AgentState GetState() => new() { Algorithm = nameof(ConstantActionAgent), Scalars = { ["num_timesteps"] = NumTimesteps } };

    public void SetState(AgentState state) => NumTimesteps = (long)state.Scalar("num_timesteps");
}

/// <summary>A custom connector defined outside the connectors layer: the test chain, made locally.</summary>
public sealed class TestChainConnector : EnvSourceConnector<EnvSourceOptions>
{
    public override IEnv OpenEnv() => Gym.Make(TestChainEnv.Id, Options.Kwargs);
}
