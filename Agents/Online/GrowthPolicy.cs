using RlPlat.Engine.NN;

namespace RlPlat.Agents.Online;

/// <summary>When a <see cref="GrowthPolicy"/> grows the networks.</summary>
public enum GrowthTrigger
{
    /// <summary>At every check (every <see cref="GrowthOptions.EverySteps"/> stream steps) until the limits are reached.</summary>
    Steps,

    /// <summary>When the learning signal has not improved for <see cref="GrowthOptions.Patience"/> checks in a row.</summary>
    Plateau,
}

/// <summary>How and when the online learner's networks grow.</summary>
public sealed record GrowthOptions
{
    /// <summary>Grow on a schedule or on a plateau of the learning signal.</summary>
    public GrowthTrigger Trigger { get; init; } = GrowthTrigger.Steps;

    /// <summary>Stream steps between checks.</summary>
    public long EverySteps { get; init; } = 10_000;

    /// <summary>Checks without improvement before a plateau grows the network.</summary>
    public int Patience { get; init; } = 3;

    /// <summary>Units added to every hidden layer per growth.</summary>
    public int AddUnits { get; init; } = 16;

    /// <summary>Hidden layers added (after the last one) per growth.</summary>
    public int AddLayers { get; init; }

    /// <summary>Most units per hidden layer.</summary>
    public int MaxUnits { get; init; } = 256;

    /// <summary>Most hidden layers.</summary>
    public int MaxLayers { get; init; } = 4;

    /// <summary>An improvement of the signal smaller than this does not count (plateau trigger).</summary>
    public double MinImprovement { get; init; } = 1e-3;

    /// <summary>Checks the values, naming the bad one.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Trigger)) throw new ArgumentException($"growth: unknown trigger {(int)Trigger}.");
        if (EverySteps < 1) throw new ArgumentException($"growth: every_steps must be >= 1, got {EverySteps}.");
        if (Patience < 1) throw new ArgumentException($"growth: patience must be >= 1, got {Patience}.");
        if (AddUnits < 0 || AddLayers < 0) throw new ArgumentException($"growth: add_units ({AddUnits}) and add_layers ({AddLayers}) must be >= 0.");
        if (AddUnits == 0 && AddLayers == 0) throw new ArgumentException("growth: add_units and add_layers are both 0, so the network would never grow.");
        if (MaxUnits < 1 || MaxLayers < 1) throw new ArgumentException($"growth: max_units ({MaxUnits}) and max_layers ({MaxLayers}) must be >= 1.");
        if (!(MinImprovement >= 0)) throw new ArgumentException($"growth: min_improvement must be >= 0, got {MinImprovement}.");
    }
}

/// <summary>
/// Decides when the online learner's networks grow and grows them function-preservingly (Net2Net widening of every
/// hidden layer, identity/residual layers appended), within the limits. The optimizers built on the networks keep
/// their state for the old entries (see <see cref="Engine.Optim.Optimizer"/>).
/// </summary>
public sealed class GrowthPolicy
{
    private long nextCheck;
    private double best = double.NegativeInfinity;
    private int stale;

    /// <summary>A policy with <paramref name="options"/> (validated).</summary>
    public GrowthPolicy(GrowthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        nextCheck = options.EverySteps;
    }

    /// <summary>The settings.</summary>
    public GrowthOptions Options { get; }

    /// <summary>Growths done so far.</summary>
    public int Growths { get; private set; }

    /// <summary>
    /// Called as learning goes with the stream steps so far and the current learning signal (higher is better, e.g.
    /// the mean reward per step of recent transitions); true when a check falls due and the trigger says grow.
    /// </summary>
    public bool ShouldGrow(long steps, double signal)
    {
        if (steps < nextCheck) return false;
        nextCheck = steps + Options.EverySteps;
        if (Options.Trigger == GrowthTrigger.Steps) return true;
        if (double.IsNaN(signal)) return false;
        if (signal > best + Options.MinImprovement * Math.Max(1, Math.Abs(best == double.NegativeInfinity ? 0 : best)))
        {
            best = signal;
            stale = 0;
            return false;
        }
        if (++stale < Options.Patience) return false;
        stale = 0;
        return true;
    }

    /// <summary>True when <paramref name="net"/> can still grow within the limits.</summary>
    public bool CanGrow(GrowableMlp net)
    {
        ArgumentNullException.ThrowIfNull(net);
        var sizes = net.Sizes;
        for (int h = 1; h + 1 < sizes.Length; h++)
            if (Options.AddUnits > 0 && sizes[h] < Options.MaxUnits) return true;
        return Options.AddLayers > 0 && Depth(net) < Options.MaxLayers;
    }

    /// <summary>Grows <paramref name="net"/> once: widens every hidden layer, then adds layers; returns what it did.</summary>
    public List<GrowthEvent> Grow(GrowableMlp net)
    {
        ArgumentNullException.ThrowIfNull(net);
        var events = new List<GrowthEvent>();
        if (Options.AddUnits > 0)
        {
            var sizes = net.Sizes;
            for (int h = 0; h + 2 < sizes.Length; h++)
            {
                int width = Math.Min(sizes[h + 1] + Options.AddUnits, Options.MaxUnits);
                if (width > sizes[h + 1]) events.Add(net.Widen(h, width));
            }
        }
        for (int k = 0; k < Options.AddLayers && Depth(net) < Options.MaxLayers; k++)
            events.Add(net.Deepen(net.HiddenLayers - 1));
        if (events.Count > 0) Growths++;
        return events;
    }

    // Hidden layers including inserted residual blocks (which GrowableMlp.HiddenLayers does not count).
    private static int Depth(GrowableMlp net) => net.Blocks.Count - 1;
}
