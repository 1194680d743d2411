using RlPlat.Engine;
using RlPlat.Environments;

namespace RlPlat.Agents.Examples;

/// <summary>
/// An example custom agent, written as a user would write one in their own project: tabular Q-learning with
/// epsilon-greedy exploration on a Discrete observation space. It implements <see cref="IAgent"/> directly, so the
/// shared training loop, callbacks and checkpoints work with it, and YAML can name it as
/// <c>"RlPlat.Agents.Examples.TabularQLearning, RlPlat.Agents"</c> (it has the constructor <see cref="AgentFactory"/> looks for).
/// </summary>
public sealed class TabularQLearning : IAgent
{
    private readonly int states, actions;
    private readonly double[] q;
    private readonly Generator rng;
    private double epsilon;

    /// <summary>The constructor <see cref="AgentFactory"/> calls: spaces, hyperparameters, seed.</summary>
    public TabularQLearning(AgentSpaces spaces, IReadOnlyDictionary<string, object?>? hyperparameters, int seed)
    {
        if (spaces.ObservationSpace is not Discrete obs) throw new ArgumentException($"TabularQLearning: needs a Discrete observation space, got {spaces.ObservationSpace}.");
        if (!spaces.IsDiscrete) throw new ArgumentException($"TabularQLearning: needs a Discrete action space, got {spaces.ActionSpace}.");
        var h = new Hyperparameters("tabular_q", hyperparameters);
        LearningRate = h.Double("learning_rate", 0.1);
        Gamma = h.Double("gamma", 0.99);
        InitialEpsilon = h.Double("exploration_initial_eps", 1.0);
        FinalEpsilon = h.Double("exploration_final_eps", 0.05);
        ExplorationFraction = h.Double("exploration_fraction", 0.5);
        h.EnsureAllUsed();
        Spaces = spaces;
        states = obs.N;
        actions = spaces.ActionCount;
        q = new double[states * actions];
        rng = new Generator(seed);
        epsilon = InitialEpsilon;
    }

    /// <summary>Step size of the Q update.</summary>
    public double LearningRate { get; }

    /// <summary>Discount factor.</summary>
    public double Gamma { get; }

    /// <summary>Exploration rate at the start.</summary>
    public double InitialEpsilon { get; }

    /// <summary>Exploration rate after <see cref="ExplorationFraction"/> of training.</summary>
    public double FinalEpsilon { get; }

    /// <summary>Fraction of training over which epsilon falls linearly.</summary>
    public double ExplorationFraction { get; }

    /// <inheritdoc />
    public AgentSpaces Spaces { get; }

    /// <inheritdoc />
    public long NumTimesteps { get; private set; }

    /// <summary>Q(state, action).</summary>
    public double Q(int state, int action) => q[state * actions + action];

    /// <inheritdoc />
    public void Act(ReadOnlySpan<float> observations, int batch, Span<float> chosen, bool deterministic, ReadOnlySpan<bool> actionMasks = default)
    {
        for (int b = 0; b < batch; b++)
        {
            int s = State(observations, b);
            ReadOnlySpan<bool> mask = actionMasks.IsEmpty ? default : actionMasks.Slice(b * actions, actions);
            int a;
            if (!deterministic && rng.NextDouble() < epsilon)
            {
                do a = rng.NextInt(actions);
                while (!mask.IsEmpty && !mask[a]);
            }
            else a = Greedy(s, mask);
            chosen[b] = a;
        }
    }

    /// <inheritdoc />
    public void Observe(TransitionBatch t)
    {
        for (int e = 0; e < t.NumEnvs; e++)
        {
            int s = State(t.Observations, e), a = (int)t.Actions[e], s2 = State(t.NextObservations, e);
            // Only termination cuts the future off; a truncated episode still had value after its last step.
            double target = t.Rewards[e] + (t.Terminated[e] ? 0 : Gamma * Q(s2, Greedy(s2, default)));
            q[s * actions + a] += LearningRate * (target - q[s * actions + a]);
        }
        NumTimesteps += t.NumEnvs;
    }

    /// <inheritdoc />
    public bool ReadyToLearn => false;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Learn() => new Dictionary<string, double> { ["exploration_rate"] = epsilon };

    /// <inheritdoc />
    public void SetProgressRemaining(double progressRemaining)
    {
        double progress = 1 - progressRemaining;
        epsilon = progress >= ExplorationFraction ? FinalEpsilon : InitialEpsilon + (FinalEpsilon - InitialEpsilon) * progress / ExplorationFraction;
    }

    /// <inheritdoc />
    public PolicyWeights GetWeights()
    {
        var w = new PolicyWeights();
        var values = new float[q.Length];
        for (int i = 0; i < q.Length; i++) values[i] = (float)q[i];
        w.Add("q", [states, actions], values);
        return w;
    }

    /// <inheritdoc />
    public void SetWeights(PolicyWeights weights)
    {
        float[] values = weights.Get("q", [states, actions]);
        for (int i = 0; i < q.Length; i++) q[i] = values[i];
    }

    /// <inheritdoc />
    public AgentState GetState()
    {
        var state = new AgentState { Algorithm = nameof(TabularQLearning) };
        state.Weights["policy"] = GetWeights();
        state.Scalars["num_timesteps"] = NumTimesteps;
        state.Scalars["epsilon"] = epsilon;
        state.Blobs["rng"] = RngState.Save(rng);
        return state;
    }

    /// <inheritdoc />
    public void SetState(AgentState state)
    {
        if (state.Algorithm != nameof(TabularQLearning)) throw new ArgumentException($"TabularQLearning.SetState: the state is of a {state.Algorithm} agent.");
        SetWeights(state.Group("policy"));
        NumTimesteps = (long)state.Scalar("num_timesteps");
        epsilon = state.Scalar("epsilon");
        RngState.Load(rng, state.Blob("rng"));
    }

    private int State(ReadOnlySpan<float> observations, int row)
    {
        // Discrete observations arrive one-hot encoded (Gymnasium flattening).
        ReadOnlySpan<float> oneHot = observations.Slice(row * states, states);
        for (int i = 0; i < states; i++)
            if (oneHot[i] == 1f) return i;
        throw new ArgumentException($"TabularQLearning: observation row {row} is not a one-hot vector of {states} states.");
    }

    private int Greedy(int s, ReadOnlySpan<bool> mask)
    {
        int best = -1;
        for (int a = 0; a < actions; a++)
            if ((mask.IsEmpty || mask[a]) && (best < 0 || q[s * actions + a] > q[s * actions + best])) best = a;
        return best;
    }
}
