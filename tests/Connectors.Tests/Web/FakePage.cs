using System.Net.WebSockets;
using RlPlat.Connectors.Protocol;

namespace RlPlat.Connectors.Tests.Web;

/// <summary>A page played by the test itself over a plain WebSocket: it can answer correctly, wrongly, or not at all.</summary>
internal sealed class FakePage : IDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly byte[] buffer = new byte[1 << 16];

    public FakePage(int port, string query)
    {
        socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/game{query}"), Timeout()).Wait();
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    /// <summary>The next message rlplat sent, decoded; null when rlplat closed the socket.</summary>
    public (string Type, Dictionary<string, object?> Fields)? Receive()
    {
        var got = socket.ReceiveAsync(buffer, Timeout()).Result;
        if (got.MessageType == WebSocketMessageType.Close) return null;
        Assert.That(got.EndOfMessage, Is.True, "test buffer too small");
        return WireMessages.Read(buffer.AsMemory(0, got.Count));
    }

    public void Send(ReadOnlyMemory<byte> payload) => socket.SendAsync(payload, WebSocketMessageType.Binary, true, Timeout()).AsTask().Wait();

    public void Send(FrameBuilder frame) => Send(frame.Payload);

    public WebSocketState State => socket.State;

    public void Dispose() => socket.Dispose();
}
