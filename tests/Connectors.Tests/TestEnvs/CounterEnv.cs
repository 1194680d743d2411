using RlPlat.Environments;

namespace RlPlat.Connectors.Tests.TestEnvs;

/// <summary>
/// A tiny deterministic env for connector tests: the observation is [count, episodeStep], each action adds to count,
/// the reward is the action, the episode terminates when count reaches <c>limit</c>. Reset(seed) starts count at seed.
/// The observation buffer is reused, as real envs do, so tests catch missing copies.
/// </summary>
public sealed class CounterEnv(int limit = 5) : IEnv<float[], int>
{
    private readonly float[] obs = new float[2];
    public int Resets, Steps;
    public bool Closed;

    public Space ObservationSpace { get; } = new Box(double.NegativeInfinity, double.PositiveInfinity, [2]);
    public Space ActionSpace { get; } = new Discrete(3);
    public EnvSpec? Spec { get; set; }
    public IEnv UnwrappedEnv => this;
    public IReadOnlyList<string> RenderModes => [];
    public RenderFrame? Render() => null;

    public (float[] Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        Resets++;
        if (options?.GetValueOrDefault("fail") is true) throw new InvalidOperationException("CounterEnv: asked to fail");
        obs[0] = seed ?? 0;
        obs[1] = 0;
        return (obs, new Info().With("seed", seed));
    }

    public StepResult<float[]> Step(int action)
    {
        if (action < 0 || action > 2) throw new ArgumentException($"CounterEnv: action {action} is not in [0, 2].", nameof(action));
        Steps++;
        obs[0] += action;
        obs[1] += 1;
        return new StepResult<float[]>(obs, action, obs[0] >= limit, false, Info.Empty);
    }

    public (object Observation, Info Info) ResetObject(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var (o, i) = Reset(seed, options);
        return (o, i);
    }

    public StepResult<object> StepObject(object action)
    {
        var r = Step((int)action);
        return new StepResult<object>(r.Observation, r.Reward, r.Terminated, r.Truncated, r.Info);
    }

    public void Close() => Closed = true;
    public void Dispose() => Close();
}

/// <summary>Float vectors of a fixed length (a stand-in for Box in tests that must not depend on the envs branch).</summary>
public sealed class TestFloatSpace(int length) : Space<float[]>
{
    public override int[] Shape => [length];
    public override float[] Sample() => new float[length];
    public override bool Contains(float[] value) => value.Length == length;
    public override void Seed(int? seed) { }
}

/// <summary>Integers 0..n-1 (a stand-in for Discrete).</summary>
public sealed class TestIntSpace(int n) : Space<int>
{
    public override int[] Shape => [];
    public override int Sample() => 0;
    public override bool Contains(int value) => value >= 0 && value < n;
    public override void Seed(int? seed) { }
}
