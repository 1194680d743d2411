using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RlPlat.Environments;

namespace RlPlat.Connectors.Streams;

/// <summary>How a simulated sensor degrades its env's readings.</summary>
public sealed record SensorOptions
{
    /// <summary>Readings per second.</summary>
    public double RateHz { get; init; } = 50;

    /// <summary>Standard deviation of Gaussian noise added to every float/double observation element.</summary>
    public double NoiseStd { get; init; }

    /// <summary>Delay between a reading being taken and being delivered.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Probability that an ordinary reading is lost (episode starts and ends are never lost).</summary>
    public double DropoutProbability { get; init; }

    /// <summary>Seeds the env, the noise and the dropouts: same seed, same stream.</summary>
    public int? Seed { get; init; }

    /// <summary>Checks the values, naming the bad one.</summary>
    public void Validate()
    {
        if (!(RateHz > 0) || double.IsInfinity(RateHz)) throw new ArgumentException($"sensor: rate_hz must be positive and finite, got {RateHz}.");
        if (!(NoiseStd >= 0) || double.IsInfinity(NoiseStd)) throw new ArgumentException($"sensor: noise_std must be a finite number >= 0, got {NoiseStd}.");
        if (Latency < TimeSpan.Zero) throw new ArgumentException($"sensor: latency must not be negative, got {Latency}.");
        if (!(DropoutProbability >= 0 && DropoutProbability < 1)) throw new ArgumentException($"sensor: dropout_probability must be in [0, 1), got {DropoutProbability}.");
    }
}

/// <summary>
/// A simulated sensor: any env stepped by a clock at <see cref="SensorOptions.RateHz"/> (see
/// <see cref="ClockedEnvStream{TObs,TAction}"/>), its readings with Gaussian noise, random dropouts and a fixed
/// latency, all in the scheduler's time (so tests run in virtual time). One subscriber at a time.
/// </summary>
public sealed class SensorStream : IObservable<Transition<object, object>>
{
    private readonly ClockedEnvStream<object, object> clocked;
    private readonly IObservable<Transition<object, object>> readings;
    private readonly Random random;
    private long delivered, dropped;

    /// <summary>Wraps <paramref name="env"/>; <paramref name="defaultAction"/> is used until the agent posts one.</summary>
    public SensorStream(IEnv env, SensorOptions options, IScheduler scheduler, object defaultAction)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        random = options.Seed is { } s ? new Random(s) : new Random();
        clocked = EnvStream.Clocked<object, object>(new ObjectEnv(env), TimeSpan.FromSeconds(1 / options.RateHz), scheduler, defaultAction, seed: options.Seed);
        var noisy = clocked.Select(t => Degrade(t, options)).Where(t => t is not null).Select(t => t!);
        readings = options.Latency > TimeSpan.Zero ? noisy.Delay(options.Latency, scheduler) : noisy;
    }

    /// <summary>Where the agent posts actions (the newest before a tick is used; see <see cref="ClockedEnvStream{TObs,TAction}"/>).</summary>
    public IObserver<object> Actions => clocked.Actions;

    /// <summary>Readings delivered and lost to dropouts so far.</summary>
    public (long Delivered, long Dropped) Counters => (Interlocked.Read(ref delivered), Interlocked.Read(ref dropped));

    /// <summary>Counters of the agent's actions (late ticks reused the last action).</summary>
    public StreamCounters ActionCounters => clocked.Counters;

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<Transition<object, object>> observer) => readings.Subscribe(observer);

    private Transition<object, object>? Degrade(Transition<object, object> t, SensorOptions options)
    {
        // Ticks are sequential, so the generator is used in a fixed order: same seed, same noise and dropouts.
        if (!t.IsReset && !t.Done && options.DropoutProbability > 0 && random.NextDouble() < options.DropoutProbability)
        {
            Interlocked.Increment(ref dropped);
            return null;
        }
        if (options.NoiseStd > 0) AddNoise(t.Observation, options.NoiseStd);
        Interlocked.Increment(ref delivered);
        return t;
    }

    private void AddNoise(object observation, double std)
    {
        // The observation is the stream's own copy, so it can be changed in place.
        switch (observation)
        {
            case float[] f: for (int i = 0; i < f.Length; i++) f[i] += (float)(std * Gaussian()); break;
            case double[] d: for (int i = 0; i < d.Length; i++) d[i] += std * Gaussian(); break;
            case IReadOnlyDictionary<string, object?> dict: foreach (var v in dict.Values) if (v is not null) AddNoise(v, std); break;
            case object?[] items: foreach (var v in items) if (v is not null) AddNoise(v, std); break;
        }
    }

    private double Gaussian()
    {
        // Box-Muller; 1 - NextDouble() is in (0, 1], so the log is finite.
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>A neutral action for a space, used until an agent answers: discrete start, zeros clipped into a box.</summary>
public static class DefaultActions
{
    /// <summary>The default action of <paramref name="space"/>.</summary>
    public static object For(Space space) => space switch
    {
        Discrete d => d.Start,
        MultiDiscrete md => (int[])md.Start.Clone(),
        MultiBinary mb => new byte[mb.N],
        Box box => BoxDefault(box),
        DictSpace dict => dict.Spaces.ToDictionary(p => p.Key, p => For(p.Value)),
        TupleSpace tuple => tuple.Spaces.Select(For).ToArray(),
        _ => space.SampleObject(),
    };

    private static Array BoxDefault(Box box)
    {
        var values = Array.CreateInstance(box.ElementType, box.Size);
        for (int i = 0; i < box.Size; i++)
            values.SetValue(Convert.ChangeType(Math.Clamp(0.0, box.Low[i], box.High[i]), box.ElementType, System.Globalization.CultureInfo.InvariantCulture), i);
        return values;
    }
}
