using RlPlat.Environments;

namespace RlPlat.Agents.Training;

/// <summary>
/// Steps several copies of an env together with Stable-Baselines3's autoreset: when an episode ends, its final
/// observation goes into <see cref="TransitionBatch.NextObservations"/>, the env is reset at once and
/// <see cref="Observations"/> holds the first observation of the next episode. Episode returns and lengths are counted
/// here, so no statistics wrapper is needed. Envs that put a 0/1 <c>"action_mask"</c> (byte[] or bool[]) in their info
/// get it exposed in <see cref="ActionMasks"/>.
/// </summary>
public sealed class EnvBatch : IDisposable
{
    private readonly EnvSlot[] slots;
    private readonly double[] episodeReturns;
    private readonly int[] episodeLengths;
    private readonly EpisodeResult[] completed;
    private bool started;

    /// <summary>Batches <paramref name="envs"/>; they must share observation and action spaces.</summary>
    public EnvBatch(IReadOnlyList<IEnv> envs)
    {
        if (envs.Count == 0) throw new ArgumentException("EnvBatch: no envs given.", nameof(envs));
        Spaces = new AgentSpaces(envs[0].ObservationSpace, envs[0].ActionSpace);
        slots = new EnvSlot[envs.Count];
        for (int i = 0; i < envs.Count; i++)
        {
            var other = new AgentSpaces(envs[i].ObservationSpace, envs[i].ActionSpace);
            if (other.ObservationSize != Spaces.ObservationSize || other.ActionSize != Spaces.ActionSize || other.ActionCount != Spaces.ActionCount)
                throw new ArgumentException($"EnvBatch: env {i} has {other}, env 0 has {Spaces}.");
            slots[i] = EnvSlot.Create(envs[i], Spaces);
        }
        Observations = new float[envs.Count * Spaces.ObservationSize];
        episodeReturns = new double[envs.Count];
        episodeLengths = new int[envs.Count];
        completed = new EpisodeResult[envs.Count];
    }

    /// <summary>Makes <paramref name="numEnvs"/> copies of a registered env with <c>Gym.Make</c>.</summary>
    public static EnvBatch Make(string envId, int numEnvs = 1, IReadOnlyDictionary<string, object?>? kwargs = null)
    {
        if (numEnvs < 1) throw new ArgumentException($"EnvBatch.Make: numEnvs {numEnvs} must be >= 1.", nameof(numEnvs));
        var envs = new IEnv[numEnvs];
        for (int i = 0; i < numEnvs; i++) envs[i] = Gym.Make(envId, kwargs);
        return new EnvBatch(envs);
    }

    /// <summary>The shared spaces.</summary>
    public AgentSpaces Spaces { get; }

    /// <summary>Number of envs.</summary>
    public int NumEnvs => slots.Length;

    /// <summary>The envs, in order.</summary>
    public IEnv this[int index] => slots[index].Env;

    /// <summary>Current observations [NumEnvs, ObservationSize]: what the next actions are chosen from.</summary>
    public float[] Observations { get; }

    /// <summary>Current valid-action masks [NumEnvs, ActionCount] once an env has reported one; else null.</summary>
    public bool[]? ActionMasks { get; private set; }

    /// <summary>Episodes that ended in the last <see cref="Step"/>.</summary>
    public ReadOnlySpan<EpisodeResult> CompletedEpisodes => completed.AsSpan(0, CompletedCount);

    private int CompletedCount { get; set; }

    /// <summary>True once <see cref="Reset"/> has run.</summary>
    public bool IsStarted => started;

    /// <summary>Resets every env; env i gets seed <paramref name="seed"/> + i (no seed: unseeded).</summary>
    public void Reset(int? seed = null)
    {
        for (int i = 0; i < slots.Length; i++)
        {
            Info info = slots[i].Reset(seed + i, Row(Observations, i, Spaces.ObservationSize));
            ReadMask(i, info);
            if (seed.HasValue) slots[i].Env.ActionSpace.Seed(seed + i);
            episodeReturns[i] = 0;
            episodeLengths[i] = 0;
        }
        CompletedCount = 0;
        started = true;
    }

    /// <summary>
    /// Steps every env with its row of <paramref name="actions"/> and fills <paramref name="transitions"/>: the observations
    /// the actions were chosen from, the actions, rewards, flags and true next observations.
    /// </summary>
    public void Step(ReadOnlySpan<float> actions, TransitionBatch transitions)
    {
        if (!started) throw new InvalidOperationException("EnvBatch.Step: call Reset first.");
        int obsSize = Spaces.ObservationSize, actSize = Spaces.ActionSize;
        if (actions.Length != NumEnvs * actSize) throw new ArgumentException($"EnvBatch.Step: {actions.Length} action values for {NumEnvs} envs of {actSize}.");
        if (transitions.NumEnvs != NumEnvs || transitions.ObservationSize != obsSize || transitions.ActionSize != actSize)
            throw new ArgumentException($"EnvBatch.Step: transitions are for {transitions.NumEnvs} envs x {transitions.ObservationSize} obs x {transitions.ActionSize} act, the batch is {NumEnvs} x {obsSize} x {actSize}.");
        Observations.CopyTo(transitions.Observations, 0);
        actions.CopyTo(transitions.Actions);
        CompletedCount = 0;
        for (int i = 0; i < slots.Length; i++)
        {
            Span<float> next = Row(transitions.NextObservations, i, obsSize);
            var (reward, terminated, truncated, info) = slots[i].Step(actions.Slice(i * actSize, actSize), next);
            transitions.Rewards[i] = (float)reward;
            transitions.Terminated[i] = terminated;
            transitions.Truncated[i] = truncated;
            episodeReturns[i] += reward;
            episodeLengths[i]++;
            if (terminated || truncated)
            {
                completed[CompletedCount++] = new EpisodeResult(i, episodeReturns[i], episodeLengths[i], terminated);
                episodeReturns[i] = 0;
                episodeLengths[i] = 0;
                info = slots[i].Reset(null, Row(Observations, i, obsSize));
            }
            else next.CopyTo(Row(Observations, i, obsSize));
            ReadMask(i, info);
        }
        if (transitions.NextActionMasks != null && ActionMasks != null) ActionMasks.CopyTo(transitions.NextActionMasks, 0);
    }

    private void ReadMask(int env, Info info)
    {
        if (info.Count == 0 || !info.TryGetValue("action_mask", out object? mask) || mask is null) return;
        int n = Spaces.ActionCount;
        if (n == 0) throw new ArgumentException("EnvBatch: an env reported an action_mask but its action space is not Discrete.");
        ActionMasks ??= CreateAllTrue(NumEnvs * n);
        Span<bool> row = ActionMasks.AsSpan(env * n, n);
        switch (mask)
        {
            case byte[] b when b.Length == n:
                for (int a = 0; a < n; a++) row[a] = b[a] != 0;
                break;
            case bool[] f when f.Length == n:
                f.CopyTo(row);
                break;
            default:
                throw new ArgumentException($"EnvBatch: env {env}'s action_mask is {mask.GetType().Name} of the wrong kind or length; expected byte[{n}] or bool[{n}].");
        }
        bool any = false;
        foreach (bool allowed in row) any |= allowed;
        if (!any) throw new InvalidOperationException($"EnvBatch: env {env}'s action_mask allows no action.");
    }

    private static bool[] CreateAllTrue(int n)
    {
        var a = new bool[n];
        Array.Fill(a, true);
        return a;
    }

    private static Span<float> Row(float[] data, int row, int width) => data.AsSpan(row * width, width);

    /// <summary>Closes every env.</summary>
    public void Dispose()
    {
        foreach (var s in slots) s.Env.Dispose();
    }
}

/// <summary>A finished episode: which env, its return and length, and whether it terminated (else it was truncated).</summary>
public readonly record struct EpisodeResult(int Env, double Return, int Length, bool Terminated);
