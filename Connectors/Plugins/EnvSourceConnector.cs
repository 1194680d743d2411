using System.Reactive.Linq;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Streams;
using RlPlat.Environments;

namespace RlPlat.Connectors.Plugins;

/// <summary>Options shared by connectors whose source is an env (local or remote).</summary>
public class EnvSourceOptions : IValidatableOptions
{
    /// <summary>The registered env id (Gym.Make id, also sent to remote servers).</summary>
    public string EnvId { get; set; } = "";

    /// <summary>Keyword arguments for making the env.</summary>
    public IReadOnlyDictionary<string, object?>? Kwargs { get; set; }

    /// <summary>Seed of the first reset of a stream.</summary>
    public int? Seed { get; set; }

    /// <summary>For streams: steps per second on the clock; 0 means agent-paced (one step per action).</summary>
    public double RateHz { get; set; }

    /// <summary>For clocked streams: the action used until the agent answers; default: the space's neutral action.</summary>
    public object? DefaultAction { get; set; }

    /// <inheritdoc/>
    public virtual void Validate()
    {
        if (!(RateHz >= 0) || double.IsInfinity(RateHz)) throw new ArgumentException($"rate_hz must be a finite number >= 0, got {RateHz}.");
    }
}

/// <summary>
/// A connector whose source is an env: <see cref="OpenEnv"/> returns it, and <see cref="OpenStream"/> turns it into a
/// stream, clocked at <c>rate_hz</c> or paced by the context's actions.
/// </summary>
public abstract class EnvSourceConnector<TOptions> : Connector<TOptions> where TOptions : EnvSourceOptions, new()
{
    /// <inheritdoc/>
    public override IObservable<Transition<object, object>> OpenStream(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var env = new ObjectEnv(OpenEnv());
        if (Options.RateHz > 0)
        {
            var clocked = EnvStream.Clocked<object, object>(env, TimeSpan.FromSeconds(1 / Options.RateHz), context.Scheduler, DefaultAction(env.ActionSpace), seed: Options.Seed);
            if (context.Actions is null) return clocked.Finally(env.Close);
            return Observable.Using(() => context.Actions.Subscribe(clocked.Actions), _ => clocked).Finally(env.Close);
        }
        if (context.Actions is null)
        {
            env.Close();
            throw new InvalidOperationException($"connector '{Name}': an agent-paced stream (rate_hz 0) needs actions in the context; give rate_hz to run on a clock.");
        }
        return EnvStream.AgentPaced<object, object>(env, context.Actions, context.Scheduler, Options.Seed).Finally(env.Close);
    }

    /// <summary>The configured default action converted into the space's type, or the space's neutral action.</summary>
    protected object DefaultAction(Space actionSpace)
    {
        if (Options.DefaultAction is null) return DefaultActions.For(actionSpace);
        object raw = Options.DefaultAction switch
        {
            System.Collections.IEnumerable list and not string => list.Cast<object?>().Select(ToNumber).ToArray(),
            var scalar => ToNumber(scalar)!,
        };
        try { return SpaceWire.Describe(actionSpace).Coerce(raw is object?[] items ? ToDoubles(items) : raw, "default_action"); }
        catch (ProtocolException e) { throw new ArgumentException($"connector '{Name}': {e.Message} (action space {actionSpace}).", e); }
    }

    private static object? ToNumber(object? v) => v is string s && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
        ? (d == Math.Floor(d) && Math.Abs(d) < 1e15 ? (long)d : d)
        : v;

    private static double[] ToDoubles(object?[] items) => items.Select(i => Convert.ToDouble(i, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
