namespace RlPlat.Environments.Tests;

/// <summary>
/// A deterministic test env: observation [t, resets] (t = steps since reset), reward = t, terminates when t reaches
/// <c>episodeLength</c>. Actions (Discrete(2)) are recorded so tests can see what reached the env.
/// </summary>
public sealed class ScriptedEnv(int episodeLength) : Env<float[], int>
{
    private readonly float[] obs = new float[2];
    private int t, resets;

    public List<int> Actions { get; } = [];

    public List<int?> Seeds { get; } = [];

    public override Space ObservationSpace { get; } = new Box(0, 1000, [2]);

    public override Space ActionSpace { get; } = new Discrete(2);

    protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
    {
        t = 0;
        resets++;
        Seeds.Add((int)NpRandom.Seed);
        return (Observe(), new Info().With("reset", resets));
    }

    public override StepResult<float[]> Step(int action)
    {
        if (action is < 0 or > 1) throw new ArgumentException($"ScriptedEnv: action {action} is not in Discrete(2).");
        Actions.Add(action);
        t++;
        return new StepResult<float[]>(Observe(), t, t >= episodeLength, false, Info.Empty);
    }

    private float[] Observe()
    {
        obs[0] = t;
        obs[1] = resets;
        return obs;
    }
}
