using System.Globalization;
using System.Text.RegularExpressions;

namespace RlPlat.Engine.NN;

/// <summary>One planned growth: widen a hidden layer or deepen after one.</summary>
public abstract record GrowthAction
{
    /// <summary>Applies the action to <paramref name="net"/>.</summary>
    public abstract GrowthEvent ApplyTo(GrowableMlp net);
}

/// <summary>Widen hidden layer <paramref name="Layer"/> to <paramref name="Width"/> units.</summary>
public sealed record WidenAction(int Layer, int Width) : GrowthAction
{
    /// <inheritdoc/>
    public override GrowthEvent ApplyTo(GrowableMlp net) => net.Widen(Layer, Width);
}

/// <summary>Insert a layer after hidden layer <paramref name="AfterLayer"/>.</summary>
public sealed record DeepenAction(int AfterLayer, DeepenMode Mode = DeepenMode.Auto) : GrowthAction
{
    /// <inheritdoc/>
    public override GrowthEvent ApplyTo(GrowableMlp net) => net.Deepen(AfterLayer, Mode);
}

/// <summary>
/// Growth actions at training steps. <see cref="Apply"/> runs every action whose step has been reached and not yet
/// run. Text form for configs: <c>"1000: widen(0, 128); 5000: deepen(1)"</c>.
/// </summary>
public sealed partial class GrowthSchedule
{
    private readonly List<(long Step, GrowthAction Action)> entries = [];

    /// <summary>How many actions have run (saved in checkpoints to resume).</summary>
    public int Applied { get; set; }

    /// <summary>The planned (step, action) pairs in step order.</summary>
    public IReadOnlyList<(long Step, GrowthAction Action)> Entries => entries;

    /// <summary>Adds <paramref name="action"/> at <paramref name="step"/>; returns this.</summary>
    public GrowthSchedule Add(long step, GrowthAction action)
    {
        if (step < 0) throw new ArgumentException($"GrowthSchedule: step must be >= 0, got {step}");
        int i = entries.Count;
        while (i > 0 && entries[i - 1].Step > step) i--;
        entries.Insert(i, (step, action));
        return this;
    }

    /// <summary>Runs the due actions on <paramref name="net"/> and returns what they did (empty when nothing was due).</summary>
    public IReadOnlyList<GrowthEvent> Apply(GrowableMlp net, long step)
    {
        if (Applied >= entries.Count || entries[Applied].Step > step) return [];
        var events = new List<GrowthEvent>();
        while (Applied < entries.Count && entries[Applied].Step <= step)
            events.Add(entries[Applied++].Action.ApplyTo(net));
        return events;
    }

    /// <summary>Parses "step: widen(layer, width); step: deepen(layer[, identity|residual])".</summary>
    public static GrowthSchedule Parse(string text)
    {
        var s = new GrowthSchedule();
        foreach (var raw in text.Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var m = EntryPattern().Match(raw);
            if (!m.Success) throw new ArgumentException($"GrowthSchedule.Parse: cannot read '{raw}'; expected 'step: widen(layer, width)' or 'step: deepen(layer[, identity|residual])'");
            long step = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var args = m.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            GrowthAction action = m.Groups[2].Value.ToLowerInvariant() switch
            {
                "widen" when args.Length == 2 => new WidenAction(ParseInt(args[0], raw), ParseInt(args[1], raw)),
                "deepen" when args.Length is 1 or 2 => new DeepenAction(ParseInt(args[0], raw), args.Length == 2 ? ParseMode(args[1], raw) : DeepenMode.Auto),
                _ => throw new ArgumentException($"GrowthSchedule.Parse: wrong arguments in '{raw}'"),
            };
            s.Add(step, action);
        }
        return s;
    }

    private static int ParseInt(string s, string entry) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"GrowthSchedule.Parse: '{s}' in '{entry}' is not an integer");

    private static DeepenMode ParseMode(string s, string entry) =>
        Enum.TryParse<DeepenMode>(s, ignoreCase: true, out var m) ? m : throw new ArgumentException($"GrowthSchedule.Parse: unknown deepen mode '{s}' in '{entry}' (auto, identity, residual)");

    [GeneratedRegex(@"^\s*(\d+)\s*:\s*(\w+)\s*\(([^)]*)\)\s*$")]
    private static partial Regex EntryPattern();
}
