using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RlPlat.Connectors.Protocol;
using RlPlat.Environments;

namespace RlPlat.Connectors.Remote;

/// <summary>
/// The same protocol as <see cref="RemoteEnvServer"/> over WebSocket (Kestrel, loopback by default), for browsers and
/// other WebSocket clients: each binary message is one frame's payload (WebSocket delimits messages, so there is no
/// length prefix). Clients connect to <c>ws://host:port/env</c> (the path is configurable).
/// </summary>
public sealed class WebSocketEnvServer : IAsyncDisposable, IDisposable
{
    private readonly EnvFactory factory;
    private readonly RemoteEnvServerOptions options;
    private readonly ServerCounters counters = new();
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? app;

    /// <summary>A server that makes each session's env with <paramref name="factory"/> from the id the client sends.</summary>
    public WebSocketEnvServer(EnvFactory factory, RemoteEnvServerOptions? options = null, string path = "/env")
    {
        this.factory = factory ?? throw new ArgumentNullException(nameof(factory));
        this.options = options ?? new RemoteEnvServerOptions();
        this.options.Validate();
        if (!path.StartsWith('/')) throw new ArgumentException($"WebSocketEnvServer: path '{path}' must start with '/'.", nameof(path));
        Path = path;
    }

    /// <summary>A server for every env in the registry: each session's env is <c>Gym.Make(env_id, kwargs)</c>.</summary>
    public WebSocketEnvServer(RemoteEnvServerOptions? options = null)
        : this(RemoteEnvServer.RegistryFactory, options) { }

    /// <summary>A server for one kind of env: every session gets a fresh env from <paramref name="factory"/>.</summary>
    public WebSocketEnvServer(Func<IEnv> factory, RemoteEnvServerOptions? options = null, string path = "/env")
        : this(RemoteEnvServer.FixedFactory(factory), options, path) { }

    /// <summary>The URL path clients connect to.</summary>
    public string Path { get; }

    /// <summary>The port listened on; valid after <see cref="Start"/>.</summary>
    public int Port { get; private set; }

    /// <summary>The address clients use (ws://host:port/path).</summary>
    public Uri Uri => new($"ws://{(options.Address.Equals(IPAddress.IPv6Loopback) ? "[::1]" : options.Address.ToString())}:{Port}{Path}");

    /// <summary>A snapshot of the session and request counters.</summary>
    public RemoteEnvServerStats Stats => counters.Snapshot();

    /// <summary>Starts Kestrel and returns once it listens.</summary>
    public WebSocketEnvServer Start()
    {
        if (app is not null) throw new InvalidOperationException("WebSocketEnvServer: already started.");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(options.Address, options.Port);
            k.Limits.MaxRequestBodySize = options.MaxFrameBytes;
        });
        app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Map(Path, async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("rlplat remote env: connect with a WebSocket and speak the protocol in PROTOCOL.md\n").ConfigureAwait(false);
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await ServeAsync(socket).ConfigureAwait(false);
        });
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        return this;
    }

    private async Task ServeAsync(WebSocket socket)
    {
        int now = counters.Opened();
        var reply = new FrameBuilder();
        using var session = new RemoteEnvSession(factory, options);
        var buffer = new byte[4096];
        try
        {
            if (now > options.MaxSessions)
            {
                WireMessages.WriteError(reply, ErrorCode.ResourceExhausted, $"the server is full ({options.MaxSessions} sessions)");
                counters.Error();
                await SendAndCloseAsync(socket, reply, WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
                return;
            }
            while (!stopping.IsCancellationRequested)
            {
                int length = await ReceiveWithDeadlineAsync(socket, () => buffer, b => buffer = b).ConfigureAwait(false);
                if (length < 0)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, stopping.Token).ConfigureAwait(false);
                    return;
                }
                bool keep = session.Handle(buffer.AsMemory(0, length), reply);
                counters.Handled(keep, session.ClosedByClient);
                if (!keep)
                {
                    await SendAndCloseAsync(socket, reply, session.ClosedByClient ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
                    return;
                }
                await socket.SendAsync(reply.Payload, WebSocketMessageType.Binary, true, stopping.Token).ConfigureAwait(false);
            }
        }
        catch (ProtocolException e)
        {
            counters.Error();
            WireMessages.WriteError(reply, e.Code, e.Message);
            await SendAndCloseAsync(socket, reply, WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client vanished or the server is stopping; other sessions are unaffected.
        }
        finally
        {
            counters.Closed();
        }
    }

    /// <summary>
    /// Receives one message within the idle timeout, and within the frame timeout once it has begun. The deadline
    /// races the receive instead of cancelling it, because cancelling a WebSocket receive aborts the socket and the
    /// client would never see the error reply.
    /// </summary>
    private async Task<int> ReceiveWithDeadlineAsync(WebSocket socket, Func<byte[]> getBuffer, Action<byte[]> setBuffer)
    {
        using var deadline = new CancellationTokenSource(options.IdleTimeout);
        bool begun = false;
        var receive = WebSocketFrames.ReceiveAsync(socket, getBuffer, setBuffer, options.MaxFrameBytes, stopping.Token,
            () => { begun = true; deadline.CancelAfter(options.FrameTimeout); });
        var expired = Task.Delay(Timeout.InfiniteTimeSpan, deadline.Token);
        if (await Task.WhenAny(receive, expired).ConfigureAwait(false) == receive) return await receive.ConfigureAwait(false);
        // The receive stays pending until the socket is closed; observe its failure so it is not reported as unobserved.
        _ = receive.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        throw new ProtocolException(ErrorCode.DeadlineExceeded, begun
            ? $"message not complete within {options.FrameTimeout.TotalSeconds:0.###} s (half-sent message)"
            : $"no request within the idle timeout of {options.IdleTimeout.TotalSeconds:0.###} s");
    }

    private async Task SendAndCloseAsync(WebSocket socket, FrameBuilder reply, WebSocketCloseStatus status)
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.FrameTimeout);
            await socket.SendAsync(reply.Payload, WebSocketMessageType.Binary, true, timeout.Token).ConfigureAwait(false);
            await socket.CloseOutputAsync(status, "session ended", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Best effort: the peer may already be gone.
        }
    }

    /// <summary>Stops Kestrel and ends every session.</summary>
    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested) return;
        stopping.Cancel();
        if (app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        stopping.Dispose();
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
