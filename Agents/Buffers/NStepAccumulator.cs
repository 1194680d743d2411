namespace RlPlat.Agents.Buffers;

/// <summary>
/// Turns each env's stream of single steps into n-step transitions (s_t, a_t, sum_k gamma^k r_{t+k}, s_{t+m}, terminal,
/// gamma^m) with m = n, or fewer where the episode ends first, and adds them to a <see cref="ReplayBuffer"/>.
/// n = 1 stores ordinary transitions with discount gamma.
/// </summary>
public sealed class NStepAccumulator
{
    private readonly ReplayBuffer buffer;
    private readonly int n, obsSize, actSize;
    private readonly double gamma;
    // Per env, a ring of the last n steps: observation, action, reward.
    private readonly float[][] obs, act, rew;
    private readonly int[] start, count;

    /// <summary>Accumulates for <paramref name="numEnvs"/> envs into <paramref name="buffer"/>.</summary>
    public NStepAccumulator(ReplayBuffer buffer, int numEnvs, int nSteps, double gamma)
    {
        if (nSteps < 1) throw new ArgumentException($"NStepAccumulator: n_steps {nSteps} must be >= 1.", nameof(nSteps));
        if (numEnvs < 1) throw new ArgumentException($"NStepAccumulator: numEnvs {numEnvs} must be >= 1.", nameof(numEnvs));
        this.buffer = buffer;
        n = nSteps;
        this.gamma = gamma;
        obsSize = buffer.ObservationSize;
        actSize = buffer.ActionSize;
        obs = new float[numEnvs][];
        act = new float[numEnvs][];
        rew = new float[numEnvs][];
        for (int e = 0; e < numEnvs; e++)
        {
            obs[e] = new float[n * obsSize];
            act[e] = new float[n * actSize];
            rew[e] = new float[n];
        }
        start = new int[numEnvs];
        count = new int[numEnvs];
    }

    /// <summary>Adds one step of every env from a transition batch.</summary>
    public void Add(TransitionBatch t)
    {
        for (int e = 0; e < t.NumEnvs; e++)
            Add(e, t.Observations.AsSpan(e * obsSize, obsSize), t.Actions.AsSpan(e * actSize, actSize), t.Rewards[e],
                t.NextObservations.AsSpan(e * obsSize, obsSize), t.Terminated[e], t.Truncated[e]);
    }

    /// <summary>Adds one step of env <paramref name="env"/>.</summary>
    public void Add(int env, ReadOnlySpan<float> observation, ReadOnlySpan<float> action, float reward, ReadOnlySpan<float> nextObservation, bool terminated, bool truncated)
    {
        int slot = (start[env] + count[env]) % n;
        observation.CopyTo(obs[env].AsSpan(slot * obsSize, obsSize));
        action.CopyTo(act[env].AsSpan(slot * actSize, actSize));
        rew[env][slot] = reward;
        count[env]++;
        if (terminated || truncated)
        {
            // Flush every pending start: each sees the rest of the episode, shorter than n.
            while (count[env] > 0) Emit(env, nextObservation, terminated);
            start[env] = 0;
        }
        else if (count[env] == n) Emit(env, nextObservation, false);
    }

    /// <summary>The pending steps of every env as bytes, for a checkpoint (the transitions already emitted are in the buffer).</summary>
    public byte[] Save()
    {
        using var stream = new MemoryStream();
        var w = BufferCodec.Begin(stream, "NSTP");
        w.Write(start.Length);
        w.Write(n);
        w.Write(obsSize);
        w.Write(actSize);
        for (int e = 0; e < start.Length; e++)
        {
            w.Write(start[e]);
            w.Write(count[e]);
            BufferCodec.Write<float>(w, obs[e]);
            BufferCodec.Write<float>(w, act[e]);
            BufferCodec.Write<float>(w, rew[e]);
        }
        w.Flush();
        return stream.ToArray();
    }

    /// <summary>An accumulator into <paramref name="buffer"/> with the pending steps <see cref="Save"/> wrote.</summary>
    public static NStepAccumulator Load(ReplayBuffer buffer, int nSteps, double gamma, byte[] bytes)
    {
        const string what = "NStepAccumulator.Load";
        using var r = BufferCodec.Open(bytes, "NSTP", what);
        int numEnvs = r.ReadInt32();
        var a = new NStepAccumulator(buffer, numEnvs, nSteps, gamma);
        BufferCodec.Expect(r, nSteps, "n_steps", what);
        BufferCodec.Expect(r, a.obsSize, "observation size", what);
        BufferCodec.Expect(r, a.actSize, "action size", what);
        for (int e = 0; e < numEnvs; e++)
        {
            a.start[e] = r.ReadInt32();
            a.count[e] = r.ReadInt32();
            if ((uint)a.start[e] >= (uint)nSteps || (uint)a.count[e] > (uint)nSteps)
                throw new ArgumentException($"{what}: env {e} has start {a.start[e]} and count {a.count[e]}, outside 0..{nSteps}.");
            BufferCodec.Read<float>(r, a.obs[e], what);
            BufferCodec.Read<float>(r, a.act[e], what);
            BufferCodec.Read<float>(r, a.rew[e], what);
        }
        return a;
    }

    private void Emit(int env, ReadOnlySpan<float> nextObservation, bool terminal)
    {
        int first = start[env], m = count[env];
        double ret = 0, discount = 1;
        for (int k = 0; k < m; k++)
        {
            ret += discount * rew[env][(first + k) % n];
            discount *= gamma;
        }
        buffer.Add(obs[env].AsSpan(first * obsSize, obsSize), act[env].AsSpan(first * actSize, actSize), (float)ret, nextObservation, terminal, (float)discount);
        start[env] = (first + 1) % n;
        count[env]--;
    }
}
