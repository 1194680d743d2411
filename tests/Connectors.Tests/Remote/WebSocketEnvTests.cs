using System.Net.WebSockets;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Remote;
using RlPlat.Connectors.Tests.TestEnvs;

namespace RlPlat.Connectors.Tests.Remote;

public class WebSocketEnvTests
{
    [Test]
    public void WebSocketClient_ReproducesTheLocalTrajectory()
    {
        using var server = new WebSocketEnvServer(() => new CounterEnv(limit: 3)).Start();
        Assert.That(server.Uri.ToString(), Does.StartWith("ws://127.0.0.1:").And.EndWith("/env"));
        using var env = RemoteEnv.ConnectWebSocket<float[], int>(server.Uri, "counter");
        var local = new CounterEnv(limit: 3);
        Assert.That(env.Reset(2).Observation, Is.EqualTo(local.Reset(2).Observation));
        var r = env.Step(1);
        var l = local.Step(1);
        Assert.That((r.Observation, r.Reward, r.Terminated), Is.EqualTo((l.Observation, l.Reward, l.Terminated)));
        Assert.That(r.Terminated, Is.True);
        env.Close();
        Assert.That(server.Stats.Errors, Is.EqualTo(0));
    }

    [Test]
    public void OversizedOrTextMessages_GetAnErrorReply_AndTheServerGoesOn()
    {
        using var server = new WebSocketEnvServer(() => new CounterEnv(), new RemoteEnvServerOptions { MaxFrameBytes = 1024 }).Start();
        foreach (var (bytes, type, code) in new[] { (new byte[5000], WebSocketMessageType.Binary, ErrorCode.ResourceExhausted), ("hello"u8.ToArray(), WebSocketMessageType.Text, ErrorCode.InvalidArgument) })
        {
            using var ws = new ClientWebSocket();
            ws.ConnectAsync(server.Uri, CancellationToken.None).Wait();
            ws.SendAsync(bytes, type, true, CancellationToken.None).Wait();
            var buffer = new byte[4096];
            var got = ws.ReceiveAsync(buffer, CancellationToken.None).Result;
            var (kind, fields) = WireMessages.Read(buffer.AsMemory(0, got.Count));
            Assert.That(kind, Is.EqualTo("error"));
            Assert.That(fields["code"], Is.EqualTo((long)code));
            Assert.That(ws.ReceiveAsync(buffer, CancellationToken.None).Result.MessageType, Is.EqualTo(WebSocketMessageType.Close));
        }
        using var env = RemoteEnv.ConnectWebSocket<float[], int>(server.Uri);
        Assert.That(env.Reset(4).Observation[0], Is.EqualTo(4f));
        Assert.That(server.Stats.Errors, Is.EqualTo(2));
    }

    [Test]
    public void HalfSentMessage_TimesOut_WithAnError()
    {
        using var server = new WebSocketEnvServer(() => new CounterEnv(), new RemoteEnvServerOptions { FrameTimeout = TimeSpan.FromMilliseconds(200) }).Start();
        using var ws = new ClientWebSocket();
        ws.ConnectAsync(server.Uri, CancellationToken.None).Wait();
        ws.SendAsync(new byte[] { 0x81 }, WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None).Wait();
        var buffer = new byte[4096];
        var got = ws.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token).Result;
        var (kind, fields) = WireMessages.Read(buffer.AsMemory(0, got.Count));
        Assert.That((kind, fields["code"]), Is.EqualTo(("error", (object?)(long)ErrorCode.DeadlineExceeded)));
        Assert.That(fields["message"], Does.Contain("half-sent"));
    }

    [Test]
    public void PlainHttpRequest_IsToldToUseAWebSocket()
    {
        using var server = new WebSocketEnvServer(() => new CounterEnv()).Start();
        using var http = new HttpClient();
        var response = http.GetAsync($"http://127.0.0.1:{server.Port}/env").Result;
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(response.Content.ReadAsStringAsync().Result, Does.Contain("WebSocket"));
    }
}
