using System.Net.WebSockets;
using System.Threading.Channels;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Remote;

namespace RlPlat.Connectors.Web;

/// <summary>
/// One page's WebSocket, seen from rlplat: a receive loop reads every message as it arrives (so a closed tab or a
/// dead browser is noticed at once, even between steps) and either hands it to the request waiting for a reply or,
/// in live mode, to the push handler. When the socket ends, <see cref="EndReason"/> says why in words.
/// </summary>
internal sealed class PageConnection
{
    private readonly WebSocket socket;
    private readonly int maxFrameBytes;
    private readonly Func<TimeSpan, string?> crashCause;

    // How long a page's end waits for the browser process to be seen dead before blaming the page alone: short after
    // a clean close frame (a reload is the usual cause), longer after an abrupt drop (a crash is the usual cause).
    private static readonly TimeSpan CloseFrameWait = TimeSpan.FromMilliseconds(300), AbruptWait = TimeSpan.FromSeconds(1);
    private readonly Channel<byte[]> replies = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim sendGate = new(1, 1);
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<byte[]>? push;
    private volatile string? endReason;

    /// <param name="socket">The accepted socket.</param>
    /// <param name="slot">The slot (tab) it belongs to, for messages.</param>
    /// <param name="maxFrameBytes">Largest message accepted from the page.</param>
    /// <param name="crashCause">Says the browser died, waiting at most the given time to see it exit; null when it lives.</param>
    public PageConnection(WebSocket socket, int slot, int maxFrameBytes, Func<TimeSpan, string?> crashCause)
    {
        this.socket = socket;
        this.maxFrameBytes = maxFrameBytes;
        this.crashCause = crashCause;
        Slot = slot;
    }

    /// <summary>The slot this page plays in.</summary>
    public int Slot { get; }

    /// <summary>True once a session (create) was run on it: each connection carries one session.</summary>
    public bool Claimed { get; set; }

    /// <summary>Null while the socket is open; afterwards, why it ended.</summary>
    public string? EndReason => endReason;

    /// <summary>Completes when the socket has ended (the HTTP request that carried it may then return).</summary>
    public Task Ended => ended.Task;

    /// <summary>Reads messages until the socket ends; run once, by the server's request handler.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int length = await WebSocketFrames.ReceiveAsync(socket, () => buffer, b => buffer = b, maxFrameBytes, stopping).ConfigureAwait(false);
                if (length < 0)
                {
                    // Chromium's network process closes its sockets properly even when the browser dies, so a close
                    // frame can mean a crash too: ask the browser first.
                    End(crashCause(CloseFrameWait) ?? DescribeClose(socket.CloseStatus, socket.CloseStatusDescription));
                    await CloseQuietly(WebSocketCloseStatus.NormalClosure, "bye").ConfigureAwait(false);
                    return;
                }
                var message = buffer.AsSpan(0, length).ToArray();
                if (Volatile.Read(ref push) is { } handler) handler(message);
                else if (!replies.Writer.TryWrite(message))
                {
                    await RejectAsync(ErrorCode.InvalidArgument, "the page sent messages nobody asked for (only replies are allowed in lockstep mode)").ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (ProtocolException e)
        {
            await RejectAsync(e.Code, e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            End(stopping.IsCancellationRequested ? "rlplat's web server stopped" : AbruptReason(e));
        }
        finally
        {
            End("the connection ended");
        }
    }

    private string AbruptReason(Exception e)
    {
        // A socket that drops without a close frame: the page's process died. Ask the browser whether it died too.
        var cause = crashCause(AbruptWait);
        return cause ?? $"the page's connection dropped without a close frame (its renderer crashed or was killed: {e.Message})";
    }

    private static string DescribeClose(WebSocketCloseStatus? status, string? description) => status switch
    {
        WebSocketCloseStatus.EndpointUnavailable => "the page went away (reloaded, navigated elsewhere, or its tab was closed)",
        WebSocketCloseStatus.NormalClosure => $"the page closed the connection{(string.IsNullOrEmpty(description) ? "" : $" ({description})")}",
        null => "the page closed the connection",
        var s => $"the page closed the connection with status {(int)s.Value} {s}{(string.IsNullOrEmpty(description) ? "" : $" ({description})")}",
    };

    private void End(string reason)
    {
        if (endReason is not null) return;
        endReason = reason;
        replies.Writer.TryComplete();
        ended.TrySetResult();
    }

    /// <summary>From now on, messages go to <paramref name="handler"/> (live mode) instead of waiting for a request.</summary>
    public void SetPushHandler(Action<byte[]> handler)
    {
        Volatile.Write(ref push, handler);
        // A push that raced ahead of the switch sits in the reply queue: hand it over, in order.
        while (replies.Reader.TryRead(out var early)) handler(early);
    }

    /// <summary>Sends one message; throws <see cref="PageLostException"/> when the page is gone.</summary>
    public void Send(FrameBuilder message, TimeSpan timeout)
    {
        if (endReason is { } reason) throw new PageLostException(reason);
        sendGate.Wait();
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            socket.SendAsync(message.Payload, WebSocketMessageType.Binary, true, cancel.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            End(AbruptReason(e));
            throw new PageLostException(endReason!);
        }
        finally
        {
            sendGate.Release();
        }
    }

    /// <summary>Sends a request and waits for the page's reply.</summary>
    public byte[] Exchange(FrameBuilder request, TimeSpan timeout)
    {
        Send(request, timeout);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return replies.Reader.ReadAsync(cancel.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            throw new PageLostException(endReason ?? "the connection ended");
        }
        catch (OperationCanceledException)
        {
            var reason = $"the page did not answer within {timeout.TotalSeconds:0.###} s (hung or too slow)";
            Reject(ErrorCode.DeadlineExceeded, reason);
            throw new PageLostException(reason);
        }
    }

    /// <summary>Ends the session with an error message to the page (it is not trusted any more), then closes.</summary>
    public void Reject(ErrorCode code, string message) => RejectAsync(code, message).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="Reject"/>.</summary>
    internal async Task RejectAsync(ErrorCode code, string message)
    {
        End(message);
        var frame = new FrameBuilder();
        WireMessages.WriteError(frame, code, message);
        await SendQuietly(frame).ConfigureAwait(false);
        await CloseQuietly(WebSocketCloseStatus.PolicyViolation, code.ToString()).ConfigureAwait(false);
    }

    /// <summary>Ends the session politely (the page reconnects for a new one).</summary>
    public void Close(string reason)
    {
        End(reason);
        CloseQuietly(WebSocketCloseStatus.NormalClosure, "session ended").GetAwaiter().GetResult();
    }

    private async Task SendQuietly(FrameBuilder frame)
    {
        if (!await sendGate.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false)) return;
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.SendAsync(frame.Payload, WebSocketMessageType.Binary, true, cancel.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Best effort: the page may already be gone.
        }
        finally
        {
            sendGate.Release();
        }
    }

    private async Task CloseQuietly(WebSocketCloseStatus status, string description)
    {
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(status, description, cancel.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Best effort.
        }
        finally
        {
            // The server's request handler returns now; Kestrel then drops the socket.
            ended.TrySetResult();
        }
    }
}

/// <summary>The page's connection ended; the message says why (reload, closed tab, crashed browser, rejected page).</summary>
public sealed class PageLostException(string reason) : IOException(reason);
