using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using RlPlat.Environments;
using RlPlat.Environments.Car;

namespace RlPlat.Agents.Online;

/// <summary>The car-sensor knobs that can change while a stream runs, over either action type.</summary>
public sealed class CarControls
{
    private readonly Func<double> progress;

    private CarControls(IEnv env, Func<double> progress, Action<double> friction, Action<double> noise, Action<int> fail, Action repair, Action<int> track, int sensors)
    {
        Env = env;
        this.progress = progress;
        SetFriction = friction;
        SetSensorNoise = noise;
        FailSensor = fail;
        RepairSensors = repair;
        NewTrack = track;
        Sensors = sensors;
    }

    /// <summary>The car env itself (under all wrappers).</summary>
    public IEnv Env { get; }

    /// <summary>Laps covered in the current episode.</summary>
    public double Progress => progress();

    /// <summary>Changes the tyre grip.</summary>
    public Action<double> SetFriction { get; }

    /// <summary>Changes the sensor noise.</summary>
    public Action<double> SetSensorNoise { get; }

    /// <summary>Breaks one observation entry.</summary>
    public Action<int> FailSensor { get; }

    /// <summary>Repairs every sensor.</summary>
    public Action RepairSensors { get; }

    /// <summary>Replaces the track by the one of a seed.</summary>
    public Action<int> NewTrack { get; }

    /// <summary>Observation entries (sensors) the car has.</summary>
    public int Sensors { get; }

    /// <summary>The controls of <paramref name="env"/>'s car, or null when it is not a CarSensors env.</summary>
    public static CarControls? Find(IEnv env) => env?.UnwrappedEnv switch
    {
        CarSensorsEnv<float[]> c => new(c, () => c.Progress, c.SetFriction, c.SetSensorNoise, c.FailSensor, c.RepairSensors, c.NewTrack, c.Rays + 3),
        CarSensorsEnv<int> d => new(d, () => d.Progress, d.SetFriction, d.SetSensorNoise, d.FailSensor, d.RepairSensors, d.NewTrack, d.Rays + 3),
        _ => null,
    };
}

/// <summary>One change of the car env: <c>friction(mu)</c>, <c>noise(std)</c>, <c>fail_sensor(i)</c>, <c>repair()</c>, <c>new_track(seed)</c>.</summary>
/// <param name="At">Stream time (since the stream started) at which it applies; ignored for commands.</param>
/// <param name="Kind">friction, noise, fail_sensor, repair or new_track.</param>
/// <param name="Value">The argument (0 for repair).</param>
public sealed record EnvChange(TimeSpan At, string Kind, double Value)
{
    /// <summary>Kinds of change.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["friction", "noise", "fail_sensor", "repair", "new_track"];

    /// <summary>Applies the change to <paramref name="car"/>.</summary>
    public void ApplyTo(CarControls car)
    {
        switch (Kind)
        {
            case "friction": car.SetFriction(Value); break;
            case "noise": car.SetSensorNoise(Value); break;
            case "fail_sensor": car.FailSensor((int)Value); break;
            case "repair": car.RepairSensors(); break;
            case "new_track": car.NewTrack((int)Value); break;
            default: throw new ArgumentException($"EnvChange: unknown kind '{Kind}'; known: {string.Join(", ", Kinds)}.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Kind == "repair" ? $"{At.TotalSeconds:0.###}s: repair()" : $"{At.TotalSeconds:0.###}s: {Kind}({Value.ToString(CultureInfo.InvariantCulture)})";
}

/// <summary>
/// Non-stationarity for a live car stream: changes at stream times (a schedule, text form
/// <c>"60s: friction(0.6); 120s: fail_sensor(4); 180s: new_track(7)"</c>) and changes on command
/// (<see cref="Command"/>, from any thread). Both are applied by the acting thread between two env steps
/// (<see cref="ApplyDue"/>), so the env is never changed while it steps.
/// </summary>
public sealed partial class EnvChangeSchedule
{
    private readonly List<EnvChange> planned = [];
    private readonly ConcurrentQueue<EnvChange> commands = new();
    private int next;

    /// <summary>The planned changes in time order.</summary>
    public IReadOnlyList<EnvChange> Planned => planned;

    /// <summary>Adds a planned change; returns this.</summary>
    public EnvChangeSchedule Add(EnvChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!EnvChange.Kinds.Contains(change.Kind)) throw new ArgumentException($"EnvChangeSchedule: unknown change '{change.Kind}'; known: {string.Join(", ", EnvChange.Kinds)}.");
        if (change.At < TimeSpan.Zero) throw new ArgumentException($"EnvChangeSchedule: time must not be negative, got {change.At}.");
        int i = planned.Count;
        while (i > 0 && planned[i - 1].At > change.At) i--;
        planned.Insert(i, change);
        return this;
    }

    /// <summary>Queues a change to apply before the next action (any thread).</summary>
    public void Command(string kind, double value = 0)
    {
        if (!EnvChange.Kinds.Contains(kind)) throw new ArgumentException($"EnvChangeSchedule.Command: unknown change '{kind}'; known: {string.Join(", ", EnvChange.Kinds)}.", nameof(kind));
        commands.Enqueue(new EnvChange(TimeSpan.Zero, kind, value));
    }

    /// <summary>
    /// Applies the commands queued so far and the planned changes due at <paramref name="streamTime"/> to
    /// <paramref name="car"/>, calling <paramref name="applied"/> for each (acting thread).
    /// </summary>
    public void ApplyDue(TimeSpan streamTime, CarControls car, Action<EnvChange>? applied = null)
    {
        while (commands.TryDequeue(out var c)) { c.ApplyTo(car); applied?.Invoke(c with { At = streamTime }); }
        while (next < planned.Count && planned[next].At <= streamTime) { planned[next].ApplyTo(car); applied?.Invoke(planned[next]); next++; }
    }

    /// <summary>Parses "time: change(arg); ..." where time is seconds ("60s" or "60") and change is one of <see cref="EnvChange.Kinds"/>.</summary>
    public static EnvChangeSchedule Parse(string text)
    {
        var s = new EnvChangeSchedule();
        if (string.IsNullOrWhiteSpace(text)) return s;
        foreach (var raw in text.Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var m = EntryPattern().Match(raw);
            if (!m.Success) throw new ArgumentException($"EnvChangeSchedule.Parse: cannot read '{raw}'; expected 'seconds: change(value)', e.g. '60s: friction(0.6)'.");
            double at = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            string kind = m.Groups[2].Value.ToLowerInvariant();
            string arg = m.Groups[3].Value.Trim();
            if (!EnvChange.Kinds.Contains(kind)) throw new ArgumentException($"EnvChangeSchedule.Parse: unknown change '{kind}' in '{raw}'; known: {string.Join(", ", EnvChange.Kinds)}.");
            double value = 0;
            if (kind != "repair" && !double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                throw new ArgumentException($"EnvChangeSchedule.Parse: '{arg}' in '{raw}' is not a number.");
            s.Add(new EnvChange(TimeSpan.FromSeconds(at), kind, value));
        }
        return s;
    }

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*s?\s*:\s*(\w+)\s*\(([^)]*)\)\s*$")]
    private static partial Regex EntryPattern();
}
