using RlPlat.Environments;

namespace RlPlat.Agents.Training;

/// <summary>
/// One env of an <see cref="EnvBatch"/>, seen through flat float observations and actions. Typed envs with
/// <c>float[]</c> observations and <c>int</c> or <c>float[]</c> actions step without boxing; anything else goes through the
/// boxed API and Gymnasium flattening.
/// </summary>
internal abstract class EnvSlot
{
    protected EnvSlot(IEnv env, AgentSpaces spaces)
    {
        Env = env;
        Spaces = spaces;
    }

    public IEnv Env { get; }

    protected AgentSpaces Spaces { get; }

    /// <summary>Resets and writes the observation into <paramref name="observation"/>; returns the reset info.</summary>
    public abstract Info Reset(int? seed, Span<float> observation);

    /// <summary>Steps with a flat action and writes the observation; returns reward, flags and info.</summary>
    public abstract (double Reward, bool Terminated, bool Truncated, Info Info) Step(ReadOnlySpan<float> action, Span<float> observation);

    public static EnvSlot Create(IEnv env, AgentSpaces spaces) => env switch
    {
        IEnv<float[], int> d when spaces.IsDiscrete => new DiscreteSlot(d, spaces),
        IEnv<float[], float[]> c when !spaces.IsDiscrete => new ContinuousSlot(c, spaces),
        _ => new BoxedSlot(env, spaces),
    };

    protected int DiscreteAction(ReadOnlySpan<float> action)
    {
        int a = (int)MathF.Round(action[0]);
        if ((uint)a >= (uint)Spaces.ActionCount) throw new ArgumentException($"EnvBatch: discrete action index {action[0]} is outside 0..{Spaces.ActionCount - 1}.");
        return Spaces.ActionStart + a;
    }

    protected void ClipInto(ReadOnlySpan<float> action, Span<float> clipped)
    {
        for (int i = 0; i < clipped.Length; i++) clipped[i] = (float)Math.Clamp(action[i], Spaces.ActionLow[i], Spaces.ActionHigh[i]);
    }

    protected void CopyObservation(float[] source, Span<float> destination)
    {
        if (source.Length != destination.Length)
            throw new InvalidOperationException($"EnvBatch: {Env} returned an observation of {source.Length} floats, its space says {destination.Length}.");
        source.CopyTo(destination);
    }

    private sealed class DiscreteSlot(IEnv<float[], int> env, AgentSpaces spaces) : EnvSlot(env, spaces)
    {
        public override Info Reset(int? seed, Span<float> observation)
        {
            var (obs, info) = env.Reset(seed);
            CopyObservation(obs, observation);
            return info;
        }

        public override (double, bool, bool, Info) Step(ReadOnlySpan<float> action, Span<float> observation)
        {
            var r = env.Step(DiscreteAction(action));
            CopyObservation(r.Observation, observation);
            return (r.Reward, r.Terminated, r.Truncated, r.Info);
        }
    }

    private sealed class ContinuousSlot(IEnv<float[], float[]> env, AgentSpaces spaces) : EnvSlot(env, spaces)
    {
        // Envs may read the action array during Step only; one array per env is enough.
        private readonly float[] clipped = new float[spaces.ActionSize];

        public override Info Reset(int? seed, Span<float> observation)
        {
            var (obs, info) = env.Reset(seed);
            CopyObservation(obs, observation);
            return info;
        }

        public override (double, bool, bool, Info) Step(ReadOnlySpan<float> action, Span<float> observation)
        {
            ClipInto(action, clipped);
            var r = env.Step(clipped);
            CopyObservation(r.Observation, observation);
            return (r.Reward, r.Terminated, r.Truncated, r.Info);
        }
    }

    private sealed class BoxedSlot(IEnv env, AgentSpaces spaces) : EnvSlot(env, spaces)
    {
        private readonly float[] clipped = new float[spaces.ActionSize];

        public override Info Reset(int? seed, Span<float> observation)
        {
            var (obs, info) = Env.ResetObject(seed);
            RlPlat.Environments.Spaces.FlattenInto(Spaces.ObservationSpace, obs, observation);
            return info;
        }

        public override (double, bool, bool, Info) Step(ReadOnlySpan<float> action, Span<float> observation)
        {
            object boxed;
            if (Spaces.IsDiscrete) boxed = DiscreteAction(action);
            else
            {
                ClipInto(action, clipped);
                boxed = RlPlat.Environments.Spaces.Unflatten(Spaces.ActionSpace, clipped);
            }
            var r = Env.StepObject(boxed);
            RlPlat.Environments.Spaces.FlattenInto(Spaces.ObservationSpace, r.Observation, observation);
            return (r.Reward, r.Terminated, r.Truncated, r.Info);
        }
    }
}
