using RlPlat.Environments;

namespace RlPlat.Agents.Tests.Support;

/// <summary>
/// A deterministic chain of <c>n</c> states: action 1 moves right, 0 moves left (floor at 0). Reaching the last state
/// gives reward 1 and terminates; every other step gives 0; episodes are truncated after <c>maxSteps</c>.
/// Optimal return is 1 (discounted gamma^(n-2) from the start).
/// </summary>
public sealed class ChainEnv(int n = 6, int maxSteps = 50, bool oneHot = false) : Env<float[], int>
{
    private readonly Discrete actionSpace = new(2);
    private readonly float[] observation = new float[oneHot ? n : 1];
    private int state, steps;

    public override Space ObservationSpace { get; } = oneHot ? new Box(0, 1, [n]) : new Box(0, n - 1, [1]);

    public override Space ActionSpace => actionSpace;

    protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        state = 0;
        steps = 0;
        return (Observe(), new Info());
    }

    public override StepResult<float[]> Step(int action)
    {
        state = action == 1 ? state + 1 : Math.Max(0, state - 1);
        steps++;
        bool terminated = state == n - 1;
        bool truncated = !terminated && steps >= maxSteps;
        return new(Observe(), terminated ? 1.0 : 0.0, terminated, truncated, Info.Empty);
    }

    private float[] Observe()
    {
        if (oneHot)
        {
            Array.Clear(observation);
            observation[state] = 1;
        }
        else observation[0] = state;
        return observation;
    }
}

/// <summary>The same chain with Discrete observations (for tabular agents); action masks forbid "left" in state 0.</summary>
public sealed class DiscreteChainEnv(int n = 6, int maxSteps = 50, bool masks = false) : Env<int, int>
{
    private int state, steps;

    public override Space ObservationSpace { get; } = new Discrete(n);

    public override Space ActionSpace { get; } = new Discrete(2);

    protected override (int Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        state = 0;
        steps = 0;
        return (state, MaskInfo());
    }

    public override StepResult<int> Step(int action)
    {
        if (masks && state == 0 && action == 0) throw new InvalidOperationException("DiscreteChainEnv: the masked action 0 was taken in state 0.");
        state = action == 1 ? state + 1 : Math.Max(0, state - 1);
        steps++;
        bool terminated = state == n - 1;
        return new(state, terminated ? 1.0 : 0.0, terminated, !terminated && steps >= maxSteps, MaskInfo());
    }

    private Info MaskInfo() => masks ? new Info().With("action_mask", state == 0 ? new byte[] { 0, 1 } : new byte[] { 1, 1 }) : Info.Empty;
}
