using RlPlat.Agents;
using RlPlat.Agents.Training;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Every action batch a run sent to its training envs, in order. Saved with each checkpoint, it lets a resumed run put
/// its envs back exactly where they were: reset them with the run's seed and replay the actions. Envs need no state
/// API for this, and whatever they hold (physics, RNG, time-limit counters, wrapper statistics) comes back bit for bit,
/// at the cost of stepping the envs once more (cheap next to training) and 4 bytes per action value in each checkpoint.
/// </summary>
public sealed class ActionLog(int width)
{
    private float[] values = new float[Math.Max(1, width) * 1024];

    /// <summary>Floats per batch step (number of envs x action size).</summary>
    public int Width { get; } = width > 0 ? width : throw new ArgumentException($"ActionLog: width {width} must be positive.", nameof(width));

    /// <summary>Batch steps logged.</summary>
    public int Steps { get; private set; }

    /// <summary>Appends one batch step's actions; amortized allocation-free.</summary>
    public void Append(ReadOnlySpan<float> actions)
    {
        if (actions.Length != Width) throw new ArgumentException($"ActionLog.Append: {actions.Length} action values, the log holds {Width} per step.", nameof(actions));
        if ((long)(Steps + 1) * Width > values.Length) Array.Resize(ref values, checked((int)Math.Min(int.MaxValue, 2L * values.Length)));
        actions.CopyTo(values.AsSpan(Steps * Width));
        Steps++;
    }

    /// <summary>Resets <paramref name="envs"/> with <paramref name="seed"/> and steps them through every logged action.</summary>
    public void Replay(EnvBatch envs, int seed)
    {
        var spaces = envs.Spaces;
        if (envs.NumEnvs * spaces.ActionSize != Width)
            throw new ArgumentException($"ActionLog.Replay: the log holds {Width} values per step, the envs take {envs.NumEnvs} x {spaces.ActionSize}.");
        var transitions = new TransitionBatch(envs.NumEnvs, spaces.ObservationSize, spaces.ActionSize, spaces.ActionCount);
        envs.Reset(seed);
        for (int t = 0; t < Steps; t++) envs.Step(values.AsSpan(t * Width, Width), transitions);
    }

    /// <summary>The log as a weight group (one [steps, width] entry) for a checkpoint.</summary>
    public PolicyWeights ToWeights()
    {
        var w = new PolicyWeights();
        w.Add("actions", [Steps, Width], values.AsSpan(0, Steps * Width));
        return w;
    }

    /// <summary>Reads what <see cref="ToWeights"/> wrote.</summary>
    public static ActionLog FromWeights(PolicyWeights weights)
    {
        int i = weights.Names.IndexOf("actions");
        if (i < 0 || weights.Shapes[i].Length != 2) throw new ArgumentException("ActionLog: the checkpoint has no [steps, width] 'actions' entry.");
        var log = new ActionLog(weights.Shapes[i][1]);
        float[] data = weights.Values[i];
        log.values = data.Length > 0 ? data : log.values;
        log.Steps = weights.Shapes[i][0];
        return log;
    }
}
