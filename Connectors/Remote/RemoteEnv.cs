using System.Net.Sockets;
using RlPlat.Connectors.Protocol;
using RlPlat.Environments;

namespace RlPlat.Connectors.Remote;

/// <summary>
/// An env that lives on a server (a <see cref="RemoteEnvServer"/>, a <see cref="WebSocketEnvServer"/> or the Python
/// server in Connectors/python): each Reset/Step is one request and one reply, so any agent trains on it unchanged.
/// A lost connection or a silent server gives a <see cref="ProtocolException"/> with code Unavailable, never a hang.
/// </summary>
public sealed class RemoteEnv<TObs, TAction> : ConnectorEnv<TObs, TAction>
{
    private readonly Func<IFrameConnection> connect;
    private readonly string envId;
    private readonly RemoteEnvOptions options;
    private readonly FrameBuilder request = new();
    private IFrameConnection? connection;
    private SpaceDescription observationDescription = null!, actionDescription = null!;
    private Space observationSpace = null!, actionSpace = null!;
    private bool closed;

    internal RemoteEnv(Func<IFrameConnection> connect, string envId, RemoteEnvOptions options, RemoteSession? session)
    {
        this.connect = connect;
        this.envId = envId;
        this.options = options;
        Open(session);
        if (!typeof(TObs).IsAssignableFrom(observationDescription.ElementType) || !typeof(TAction).IsAssignableFrom(actionDescription.ElementType))
        {
            var (obs, act) = (observationDescription.ElementType.Name, actionDescription.ElementType.Name);
            Close();
            throw new InvalidOperationException($"RemoteEnv: '{envId}' has observations of type {obs} and actions of type {act}; they do not fit RemoteEnv<{typeof(TObs).Name}, {typeof(TAction).Name}>.");
        }
    }

    /// <summary>The server's observation space, rebuilt from the handshake.</summary>
    public override Space ObservationSpace => observationSpace;

    /// <summary>The server's action space, rebuilt from the handshake.</summary>
    public override Space ActionSpace => actionSpace;

    /// <summary>Where this env is connected.</summary>
    public string Address => connection?.Address ?? "(disconnected)";

    /// <summary>The episode step limit the server reported (its registration's max_episode_steps), if any.</summary>
    public int? MaxEpisodeSteps { get; private set; }

    private void Open(RemoteSession? session = null)
    {
        session ??= RemoteSession.Open(connect, envId, options);
        connection = session.Connection;
        observationDescription = session.Observation;
        actionDescription = session.Action;
        observationSpace = SpaceWire.Rebuild(observationDescription);
        actionSpace = SpaceWire.Rebuild(actionDescription);
        MaxEpisodeSteps = session.MaxEpisodeSteps;
    }

    /// <inheritdoc/>
    public override (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        ThrowIfClosed();
        if (connection is null)
        {
            if (!this.options.Reconnect) throw new ProtocolException(ErrorCode.Unavailable, $"RemoteEnv: the connection for '{envId}' was lost earlier; set Reconnect to open a new session on Reset.");
            Open();
        }
        WireMessages.WriteReset(request, seed, options);
        var reply = Exchange("reset");
        return ((TObs)observationDescription.Coerce(reply.GetValueOrDefault("observation"), "observation"), ToInfo(reply));
    }

    /// <inheritdoc/>
    public override StepResult<TObs> Step(TAction action)
    {
        ThrowIfClosed();
        if (connection is null) throw new ProtocolException(ErrorCode.Unavailable, $"RemoteEnv: the connection for '{envId}' was lost; the episode is gone{(options.Reconnect ? ": call Reset to reconnect" : "")}.");
        WireMessages.WriteStep(request, action!, actionDescription);
        var reply = Exchange("step");
        var obs = (TObs)observationDescription.Coerce(reply.GetValueOrDefault("observation"), "observation");
        double reward = reply.GetValueOrDefault("reward") switch { double d => d, long l => l, var r => throw Malformed("reward", r) };
        bool terminated = reply.GetValueOrDefault("terminated") as bool? ?? throw Malformed("terminated", reply.GetValueOrDefault("terminated"));
        bool truncated = reply.GetValueOrDefault("truncated") as bool? ?? throw Malformed("truncated", reply.GetValueOrDefault("truncated"));
        return new StepResult<TObs>(obs, reward, terminated, truncated, ToInfo(reply));
    }

    private static ProtocolException Malformed(string field, object? value) =>
        new(ErrorCode.InvalidArgument, $"RemoteEnv: the server's step reply has '{field}' = {value ?? "nil"}");

    private static Info ToInfo(Dictionary<string, object?> reply)
    {
        if (reply.GetValueOrDefault("info") is not Dictionary<string, object?> map || map.Count == 0) return Info.Empty;
        var info = new Info();
        foreach (var (k, v) in map) info[k] = v;
        return info;
    }

    private Dictionary<string, object?> Exchange(string what)
    {
        var conn = connection!;
        try
        {
            return WireMessages.Expect(conn.Exchange(request), what, $"RemoteEnv {what} on {conn.Address}");
        }
        catch (ProtocolException)
        {
            Drop(); // the server closes a session after any error reply
            throw;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            Drop();
            throw new ProtocolException(ErrorCode.Unavailable,
                $"RemoteEnv {what} on {conn.Address}: connection lost ({e.Message}){(options.Reconnect ? "; the next Reset reconnects" : "")}.", e);
        }
    }

    private void Drop()
    {
        connection?.Dispose();
        connection = null;
    }

    private void ThrowIfClosed()
    {
        if (closed) throw new InvalidOperationException("RemoteEnv: used after Close.");
    }

    /// <summary>Ends the session politely (best effort) and closes the connection.</summary>
    public override void Close()
    {
        if (closed) return;
        closed = true;
        if (connection is null) return;
        try
        {
            WireMessages.WriteClose(request);
            connection.Exchange(request);
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException or ObjectDisposedException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            // Closing a session the server already dropped is not an error.
        }
        Drop();
    }
}

/// <summary>Factories for <see cref="RemoteEnv{TObs,TAction}"/>.</summary>
public static class RemoteEnv
{
    /// <summary>Connects over TCP; the env's .NET types follow the server's spaces (for CartPole: float[] and int).</summary>
    public static IEnv Connect(string host, int port, string envId = "", RemoteEnvOptions? options = null)
    {
        var checkedOptions = Checked(options);
        return Typed(() => new TcpFrameConnection(host, port, checkedOptions), envId, checkedOptions);
    }

    /// <summary>Connects over TCP with known observation and action types.</summary>
    public static RemoteEnv<TObs, TAction> Connect<TObs, TAction>(string host, int port, string envId = "", RemoteEnvOptions? options = null)
    {
        var checkedOptions = Checked(options);
        return new RemoteEnv<TObs, TAction>(() => new TcpFrameConnection(host, port, checkedOptions), envId, checkedOptions, null);
    }

    /// <summary>Connects over WebSocket (a ws:// address such as ws://127.0.0.1:7001/env).</summary>
    public static IEnv ConnectWebSocket(Uri uri, string envId = "", RemoteEnvOptions? options = null)
    {
        var checkedOptions = Checked(options);
        return Typed(() => new WebSocketFrameConnection(uri, checkedOptions), envId, checkedOptions);
    }

    /// <summary>Connects over WebSocket with known observation and action types.</summary>
    public static RemoteEnv<TObs, TAction> ConnectWebSocket<TObs, TAction>(Uri uri, string envId = "", RemoteEnvOptions? options = null)
    {
        var checkedOptions = Checked(options);
        return new RemoteEnv<TObs, TAction>(() => new WebSocketFrameConnection(uri, checkedOptions), envId, checkedOptions, null);
    }

    private static RemoteEnvOptions Checked(RemoteEnvOptions? options)
    {
        options ??= new RemoteEnvOptions();
        options.Validate();
        return options;
    }

    private static IEnv Typed(Func<IFrameConnection> connect, string envId, RemoteEnvOptions options)
    {
        // Handshake first, then build the RemoteEnv whose type arguments are the element types of the spaces it sent.
        var session = RemoteSession.Open(connect, envId, options);
        var type = typeof(RemoteEnv<,>).MakeGenericType(session.Observation.ElementType, session.Action.ElementType);
        const System.Reflection.BindingFlags flags = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        return (IEnv)Activator.CreateInstance(type, flags, null, [connect, envId, options, session], null)!;
    }
}

/// <summary>An open connection after a successful create: the spaces the server described.</summary>
internal sealed record RemoteSession(IFrameConnection Connection, SpaceDescription Observation, SpaceDescription Action, int? MaxEpisodeSteps)
{
    /// <summary>Connects and sends create; any failure closes the connection and throws a <see cref="ProtocolException"/>.</summary>
    public static RemoteSession Open(Func<IFrameConnection> connect, string envId, RemoteEnvOptions options)
    {
        var connection = connect();
        try
        {
            var request = new FrameBuilder();
            WireMessages.WriteCreate(request, envId, options.EnvKwargs, options.Token);
            var created = WireMessages.Expect(connection.Exchange(request), "created", $"RemoteEnv create on {connection.Address}");
            return new RemoteSession(connection,
                SpaceDescription.FromMap(created.GetValueOrDefault("observation_space"), "observation_space"),
                SpaceDescription.FromMap(created.GetValueOrDefault("action_space"), "action_space"),
                created.GetValueOrDefault("max_episode_steps") is long m ? (int)m : null);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            connection.Dispose();
            throw new ProtocolException(ErrorCode.Unavailable, $"RemoteEnv create on {connection.Address}: connection lost ({e.Message}).", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
