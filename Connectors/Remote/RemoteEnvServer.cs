using System.Net;
using System.Net.Sockets;
using RlPlat.Connectors.Protocol;
using RlPlat.Environments;

namespace RlPlat.Connectors.Remote;

/// <summary>
/// Hosts environments over TCP for many clients at once, one env instance per session, speaking the protocol of
/// Connectors/PROTOCOL.md in length-prefixed frames. A bad client (malformed, oversized, truncated, unknown or slow
/// frames) gets an error reply and loses its session; every other session keeps running.
/// </summary>
public sealed class RemoteEnvServer : IAsyncDisposable, IDisposable
{
    private readonly EnvFactory factory;
    private readonly RemoteEnvServerOptions options;
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> sessions = [];
    private readonly object gate = new();
    private Task? acceptLoop;
    private readonly ServerCounters counters = new();

    /// <summary>A server that makes each session's env with <paramref name="factory"/> from the id the client sends.</summary>
    public RemoteEnvServer(EnvFactory factory, RemoteEnvServerOptions? options = null)
    {
        this.factory = factory ?? throw new ArgumentNullException(nameof(factory));
        this.options = options ?? new RemoteEnvServerOptions();
        this.options.Validate();
        listener = new TcpListener(this.options.Address, this.options.Port);
    }

    /// <summary>A server for every env in the registry: each session's env is <c>Gym.Make(env_id, kwargs)</c>.</summary>
    public RemoteEnvServer(RemoteEnvServerOptions? options = null)
        : this(RemoteEnvServer.RegistryFactory, options) { }

    /// <summary>A server for one kind of env: every session gets a fresh env from <paramref name="factory"/>, whatever id the client names.</summary>
    public RemoteEnvServer(Func<IEnv> factory, RemoteEnvServerOptions? options = null)
        : this(FixedFactory(factory), options) { }

    /// <summary>Makes envs from the registry: <c>Gym.Make(envId, kwargs)</c>.</summary>
    public static readonly EnvFactory RegistryFactory = (id, kwargs) => Gym.Make(id, kwargs);

    internal static EnvFactory FixedFactory(Func<IEnv> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return (_, _) => factory();
    }

    /// <summary>The port listened on (the chosen one when the options said 0); valid after <see cref="Start"/>.</summary>
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>A snapshot of the session and request counters.</summary>
    public RemoteEnvServerStats Stats => counters.Snapshot();

    /// <summary>Starts listening and accepting; returns at once.</summary>
    public RemoteEnvServer Start()
    {
        if (acceptLoop is not null) throw new InvalidOperationException("RemoteEnvServer: already started.");
        listener.Start(backlog: 512);
        acceptLoop = Task.Run(AcceptLoopAsync);
        return this;
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // a client that reset before accept completed: keep serving
            var task = Task.Run(() => ServeAsync(client));
            lock (gate)
            {
                sessions.RemoveAll(t => t.IsCompleted);
                sessions.Add(task);
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        int now = counters.Opened();
        var reply = new FrameBuilder();
        using var session = new RemoteEnvSession(factory, options);
        try
        {
            client.NoDelay = true;
            await using var stream = client.GetStream();
            if (now > options.MaxSessions)
            {
                WireMessages.WriteError(reply, ErrorCode.ResourceExhausted, $"the server is full ({options.MaxSessions} sessions)");
                counters.Error();
                await stream.WriteAsync(reply.Frame, stopping.Token).ConfigureAwait(false);
                return;
            }
            var header = new byte[FrameBuilder.HeaderBytes];
            var payload = new byte[4096];
            Memory<byte> Payload(int length)
            {
                if (payload.Length < length) payload = new byte[Math.Max(length, payload.Length * 2)];
                return payload;
            }
            while (!stopping.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = await FrameIO.ReadFrameAsync(stream, header, Payload, options.MaxFrameBytes, options.IdleTimeout, options.FrameTimeout, stopping.Token)
                        .ConfigureAwait(false);
                }
                catch (ProtocolException e)
                {
                    WireMessages.WriteError(reply, e.Code, e.Message);
                    counters.Error();
                    await TrySendAsync(stream, reply.Frame).ConfigureAwait(false);
                    return;
                }
                if (length < 0) return;
                bool keep = session.Handle(payload.AsMemory(0, length), reply);
                // Count before replying, so a client that reads the stats after its reply sees its request.
                counters.Handled(keep, session.ClosedByClient);
                await stream.WriteAsync(reply.Frame, stopping.Token).ConfigureAwait(false);
                if (!keep) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client vanished or the server is stopping: the session ends, nothing else is affected.
        }
        finally
        {
            counters.Closed();
            client.Dispose();
        }
    }

    private async Task TrySendAsync(NetworkStream stream, ReadOnlyMemory<byte> frame)
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.FrameTimeout);
            await stream.WriteAsync(frame, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer that sent a bad frame may already be gone; the error reply is best effort.
        }
    }

    /// <summary>Stops accepting, ends every session and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested) return;
        stopping.Cancel();
        listener.Stop();
        Task[] pending;
        lock (gate) pending = [.. sessions, acceptLoop ?? Task.CompletedTask];
        try { await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false); }
        catch (TimeoutException) { /* sessions stuck in an env step are abandoned; their sockets are closed */ }
        stopping.Dispose();
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>Session and request counters shared by the TCP and WebSocket servers.</summary>
internal sealed class ServerCounters
{
    private int open;
    private long total, requests, errors;

    /// <summary>Counts a new session and returns how many are open now.</summary>
    public int Opened()
    {
        Interlocked.Increment(ref total);
        return Interlocked.Increment(ref open);
    }

    public void Closed() => Interlocked.Decrement(ref open);

    public void Error() => Interlocked.Increment(ref errors);

    /// <summary>Counts a handled request: a success when the session goes on, an error unless the client closed it.</summary>
    public void Handled(bool keep, bool closedByClient)
    {
        if (keep) Interlocked.Increment(ref requests);
        else if (!closedByClient) Interlocked.Increment(ref errors);
    }

    public RemoteEnvServerStats Snapshot() => new(Volatile.Read(ref open), Interlocked.Read(ref total), Interlocked.Read(ref requests), Interlocked.Read(ref errors));
}
