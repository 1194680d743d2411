using System.Reactive.Linq;
using RlPlat.Connectors.Recording;
using RlPlat.Connectors.Remote;
using RlPlat.Connectors.Streams;
using RlPlat.Environments;

namespace RlPlat.Connectors.Plugins;

/// <summary>Options of <see cref="LocalConnector"/>.</summary>
public sealed class LocalOptions : EnvSourceOptions
{
    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(EnvId)) throw new ArgumentException("env_id is required (a registered id such as CartPole-v1).");
    }
}

/// <summary>"local": an in-process env from the registry.</summary>
[Connector("local")]
public sealed class LocalConnector : EnvSourceConnector<LocalOptions>
{
    /// <inheritdoc/>
    public override IEnv OpenEnv() => Gym.Make(Options.EnvId, Options.Kwargs);
}

/// <summary>Options of <see cref="TcpConnector"/>.</summary>
public sealed class TcpOptions : EnvSourceOptions
{
    /// <summary>Server host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Server port.</summary>
    public int Port { get; set; }

    /// <summary>The server's shared secret, if it has one.</summary>
    public string? Token { get; set; }

    /// <summary>Longest wait for a reply.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Open a new session on Reset after a lost connection.</summary>
    public bool Reconnect { get; set; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (Port is < 1 or > 65535) throw new ArgumentException($"port must be in [1, 65535], got {Port}.");
        if (string.IsNullOrWhiteSpace(Host)) throw new ArgumentException("host is empty.");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException($"request_timeout must be positive, got {RequestTimeout}.");
    }

    internal RemoteEnvOptions ClientOptions() => new() { EnvKwargs = Kwargs, Token = Token, RequestTimeout = RequestTimeout, Reconnect = Reconnect };
}

/// <summary>"tcp": an env on a <see cref="RemoteEnvServer"/> (or the Python server).</summary>
[Connector("tcp")]
public sealed class TcpConnector : EnvSourceConnector<TcpOptions>
{
    /// <inheritdoc/>
    public override IEnv OpenEnv() => RemoteEnv.Connect(Options.Host, Options.Port, Options.EnvId, Options.ClientOptions());
}

/// <summary>Options of <see cref="WebSocketConnector"/>.</summary>
public sealed class WebSocketOptions : EnvSourceOptions
{
    /// <summary>Server address, e.g. ws://127.0.0.1:7001/env.</summary>
    public string Url { get; set; } = "";

    /// <summary>The server's shared secret, if it has one.</summary>
    public string? Token { get; set; }

    /// <summary>Longest wait for a reply.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Open a new session on Reset after a lost connection.</summary>
    public bool Reconnect { get; set; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != "ws" && uri.Scheme != "wss"))
            throw new ArgumentException($"url must be a ws:// or wss:// address, got '{Url}'.");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException($"request_timeout must be positive, got {RequestTimeout}.");
    }
}

/// <summary>"websocket": an env on a <see cref="WebSocketEnvServer"/>.</summary>
[Connector("websocket")]
public sealed class WebSocketConnector : EnvSourceConnector<WebSocketOptions>
{
    /// <inheritdoc/>
    public override IEnv OpenEnv() => RemoteEnv.ConnectWebSocket(new Uri(Options.Url), Options.EnvId,
        new RemoteEnvOptions { EnvKwargs = Options.Kwargs, Token = Options.Token, RequestTimeout = Options.RequestTimeout, Reconnect = Options.Reconnect });
}

/// <summary>Options of <see cref="SensorStreamConnector"/>.</summary>
public sealed class SensorStreamOptions : IValidatableOptions
{
    /// <summary>The simulated source: any registered env id.</summary>
    public string EnvId { get; set; } = "CarSensors-v0";

    /// <summary>Keyword arguments for making the env.</summary>
    public IReadOnlyDictionary<string, object?>? Kwargs { get; set; }

    /// <summary>Readings per second.</summary>
    public double RateHz { get; set; } = 50;

    /// <summary>Standard deviation of the Gaussian noise on float observations.</summary>
    public double NoiseStd { get; set; }

    /// <summary>Delivery delay of each reading.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Probability of losing an ordinary reading.</summary>
    public double DropoutProbability { get; set; }

    /// <summary>Seeds env, noise and dropouts.</summary>
    public int? Seed { get; set; }

    /// <summary>Longest wait of the step env for a reading.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The sensor settings these options describe.</summary>
    public SensorOptions Sensor => new() { RateHz = RateHz, NoiseStd = NoiseStd, Latency = Latency, DropoutProbability = DropoutProbability, Seed = Seed };

    /// <inheritdoc/>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(EnvId)) throw new ArgumentException("env_id is required.");
        Sensor.Validate();
        if (Timeout <= TimeSpan.Zero) throw new ArgumentException($"timeout must be positive, got {Timeout}.");
    }
}

/// <summary>
/// "sensor-stream": a simulated sensor over any registered env (e.g. CarSensors-v0 at 50 Hz with noise, latency and
/// dropouts). As a stream it runs on the context's scheduler; as a step env it runs in real time on the task pool,
/// each Step waiting for the next reading.
/// </summary>
[Connector("sensor-stream")]
public sealed class SensorStreamConnector : Connector<SensorStreamOptions>
{
    /// <inheritdoc/>
    public override IObservable<Transition<object, object>> OpenStream(ConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var env = Gym.Make(Options.EnvId, Options.Kwargs);
        context.EnvOpened?.Invoke(env);
        var sensor = new SensorStream(env, Options.Sensor, context.Scheduler, DefaultActions.For(env.ActionSpace));
        var stream = context.Actions is null ? sensor : Observable.Using(() => context.Actions.Subscribe(sensor.Actions), _ => sensor);
        return stream.Finally(env.Close);
    }

    /// <inheritdoc/>
    public override IEnv OpenEnv()
    {
        var env = Gym.Make(Options.EnvId, Options.Kwargs);
        var sensor = new SensorStream(env, Options.Sensor, System.Reactive.Concurrency.TaskPoolScheduler.Default, DefaultActions.For(env.ActionSpace));
        return new StreamEnv<object, object>(sensor.Finally(env.Close), sensor.Actions, env.ObservationSpace, env.ActionSpace, new StreamEnvOptions { Timeout = Options.Timeout });
    }
}

/// <summary>Options of <see cref="ReplayConnector"/>.</summary>
public sealed class ReplayOptions : IValidatableOptions
{
    /// <summary>The transition log to play.</summary>
    public string Path { get; set; } = "";

    /// <summary>Pacing of the stream.</summary>
    public ReplayTiming Timing { get; set; } = ReplayTiming.Original;

    /// <summary>Speed-up of original timing.</summary>
    public double Speed { get; set; } = 1;

    /// <summary>As a step env: start over at the end of the log.</summary>
    public bool Loop { get; set; }

    /// <inheritdoc/>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("path is required (a log written by TransitionLogWriter).");
        if (!File.Exists(Path)) throw new ArgumentException($"path '{Path}' does not exist.");
        if (!(Speed > 0) || double.IsInfinity(Speed)) throw new ArgumentException($"speed must be positive and finite, got {Speed}.");
    }
}

/// <summary>"replay": a recorded log, as a stream (original timing or as fast as possible) or as a step env.</summary>
[Connector("replay")]
public sealed class ReplayConnector : Connector<ReplayOptions>
{
    /// <inheritdoc/>
    public override IObservable<Transition<object, object>> OpenStream(ConnectorContext context) =>
        TransitionLog.Replay<object, object>(Options.Path, context.Scheduler, Options.Timing, Options.Speed);

    /// <inheritdoc/>
    public override IEnv OpenEnv() => new ReplayEnv(Options.Path, Options.Loop);
}
