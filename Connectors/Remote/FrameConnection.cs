using System.Net.Sockets;
using System.Net.WebSockets;
using RlPlat.Connectors.Protocol;

namespace RlPlat.Connectors.Remote;

/// <summary>A client's side of one connection: sends a request frame and returns the reply's payload.</summary>
internal interface IFrameConnection : IDisposable
{
    /// <summary>Where it is connected, for messages ("tcp://127.0.0.1:7000").</summary>
    string Address { get; }

    /// <summary>Sends <paramref name="request"/> and waits for one reply; the result is valid until the next call.</summary>
    ReadOnlyMemory<byte> Exchange(FrameBuilder request);
}

/// <summary>Length-prefixed frames over a TCP socket, blocking with the request timeout.</summary>
internal sealed class TcpFrameConnection : IFrameConnection
{
    private readonly TcpClient client;
    private readonly NetworkStream stream;
    private readonly int maxFrameBytes;
    private byte[] buffer = new byte[4096];

    public TcpFrameConnection(string host, int port, RemoteEnvOptions options)
    {
        Address = $"tcp://{host}:{port}";
        client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(options.ConnectTimeout);
            client.ConnectAsync(host, port, timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            client.Dispose();
            throw new ProtocolException(ErrorCode.Unavailable, $"cannot connect to {Address}: {e.Message}", e);
        }
        client.ReceiveTimeout = client.SendTimeout = (int)Math.Min(int.MaxValue, options.RequestTimeout.TotalMilliseconds);
        stream = client.GetStream();
        maxFrameBytes = options.MaxFrameBytes;
    }

    public string Address { get; }

    public ReadOnlyMemory<byte> Exchange(FrameBuilder request)
    {
        stream.Write(request.Frame.Span);
        int length = FrameIO.ReadFrame(stream, ref buffer, maxFrameBytes);
        return buffer.AsMemory(0, length);
    }

    public void Dispose() => client.Dispose();
}

/// <summary>One binary WebSocket message per frame (no length prefix: WebSocket delimits messages itself).</summary>
internal sealed class WebSocketFrameConnection : IFrameConnection
{
    private readonly ClientWebSocket socket = new();
    private readonly TimeSpan requestTimeout;
    private readonly int maxFrameBytes;
    private byte[] buffer = new byte[4096];

    public WebSocketFrameConnection(Uri uri, RemoteEnvOptions options)
    {
        Address = uri.ToString();
        requestTimeout = options.RequestTimeout;
        maxFrameBytes = options.MaxFrameBytes;
        try
        {
            using var timeout = new CancellationTokenSource(options.ConnectTimeout);
            socket.ConnectAsync(uri, timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            socket.Dispose();
            throw new ProtocolException(ErrorCode.Unavailable, $"cannot connect to {Address}: {e.Message}", e);
        }
    }

    public string Address { get; }

    public ReadOnlyMemory<byte> Exchange(FrameBuilder request)
    {
        using var timeout = new CancellationTokenSource(requestTimeout);
        socket.SendAsync(request.Payload, WebSocketMessageType.Binary, true, timeout.Token).AsTask().GetAwaiter().GetResult();
        int length = WebSocketFrames.ReceiveAsync(socket, () => buffer, b => buffer = b, maxFrameBytes, timeout.Token).GetAwaiter().GetResult();
        if (length < 0) throw new EndOfStreamException("the server closed the WebSocket");
        return buffer.AsMemory(0, length);
    }

    public void Dispose() => socket.Dispose();
}

/// <summary>Receiving one whole WebSocket message with a size limit, shared by client and server.</summary>
internal static class WebSocketFrames
{
    /// <summary>
    /// Reads one binary message into the buffer (grown up to the limit); -1 when the peer closed.
    /// <paramref name="onFirstFragment"/> runs once the message has begun, when it is not complete in one piece
    /// (the server shortens its deadline there, so a half-sent message cannot hold a session for the idle timeout).
    /// </summary>
    public static async Task<int> ReceiveAsync(WebSocket socket, Func<byte[]> getBuffer, Action<byte[]> setBuffer, int maxFrameBytes, CancellationToken cancel,
        Action? onFirstFragment = null)
    {
        int length = 0;
        while (true)
        {
            var buffer = getBuffer();
            if (length == buffer.Length)
            {
                if (buffer.Length >= maxFrameBytes + 1) throw new ProtocolException(ErrorCode.ResourceExhausted, $"message exceeds the limit of {maxFrameBytes} bytes");
                var bigger = new byte[Math.Min((long)buffer.Length * 2, maxFrameBytes + 1L)];
                buffer.AsSpan(0, length).CopyTo(bigger);
                setBuffer(buffer = bigger);
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancel).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return -1;
            if (result.MessageType != WebSocketMessageType.Binary)
                throw new ProtocolException(ErrorCode.InvalidArgument, "text WebSocket messages are not part of the protocol; send binary MessagePack");
            bool first = length == 0;
            length += result.Count;
            if (length > maxFrameBytes) throw new ProtocolException(ErrorCode.ResourceExhausted, $"message exceeds the limit of {maxFrameBytes} bytes");
            if (result.EndOfMessage) return length;
            if (first) onFirstFragment?.Invoke();
        }
    }
}
