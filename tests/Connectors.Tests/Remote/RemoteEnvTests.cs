using System.Net.Sockets;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Remote;
using RlPlat.Connectors.Tests.TestEnvs;
using RlPlat.Environments;

namespace RlPlat.Connectors.Tests.Remote;

public class RemoteEnvTests
{
    private static readonly Dictionary<string, object?> Fail = new() { ["fail"] = true };

    [Test]
    public void RemoteEnv_ReproducesTheLocalTrajectory_WithTypedSpaces()
    {
        using var server = new RemoteEnvServer(() => new CounterEnv(limit: 4)).Start();
        using var remote = RemoteEnv.Connect("127.0.0.1", server.Port, "counter");
        Assert.That(remote, Is.TypeOf<RemoteEnv<float[], int>>(), "the client's types follow the server's spaces");
        var env = (RemoteEnv<float[], int>)remote;
        Assert.That(env.ObservationSpace, Is.TypeOf<Box>());
        Assert.That(((Discrete)env.ActionSpace).N, Is.EqualTo(3));

        var local = new CounterEnv(limit: 4);
        var (o, info) = env.Reset(seed: 1);
        Assert.That(o, Is.EqualTo(local.Reset(1).Observation));
        Assert.That(info["seed"], Is.EqualTo(1L));
        foreach (int a in new[] { 2, 0, 1 })
        {
            var r = env.Step(a);
            var l = local.Step(a);
            Assert.That((r.Observation, r.Reward, r.Terminated, r.Truncated), Is.EqualTo((l.Observation, l.Reward, l.Terminated, l.Truncated)));
        }
        Assert.That(env.Step(0).Observation, Is.EqualTo(new[] { 4f, 4f }));
        Assert.That(server.Stats.Requests, Is.EqualTo(6)); // create, reset, 4 steps
    }

    [Test]
    public void ManyClients_EachGetTheirOwnEnv()
    {
        using var server = new RemoteEnvServer(() => new CounterEnv(limit: int.MaxValue)).Start();
        var finals = new float[8];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            using var env = RemoteEnv.Connect<float[], int>("127.0.0.1", server.Port);
            env.Reset(seed: i * 100);
            float[] obs = [];
            for (int k = 0; k < 50; k++) obs = env.Step(k % 3).Observation;
            finals[i] = obs[0];
        });
        // 50 actions cycling 0,1,2 add 16*3 + 0 + 1 = 49
        Assert.That(finals, Is.EqualTo(Enumerable.Range(0, 8).Select(i => i * 100 + 49f)));
        Assert.That(server.Stats.TotalSessions, Is.EqualTo(8));
        Assert.That(server.Stats.Errors, Is.EqualTo(0));
    }

    [Test]
    public void Token_IsCheckedAtHandshake()
    {
        using var server = new RemoteEnvServer(() => new CounterEnv(), new RemoteEnvServerOptions { Token = "s3cret" }).Start();
        var e = Assert.Throws<ProtocolException>(() => RemoteEnv.Connect("127.0.0.1", server.Port, "", new RemoteEnvOptions { Token = "guess" }));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.PermissionDenied));
        using var env = RemoteEnv.Connect<float[], int>("127.0.0.1", server.Port, "", new RemoteEnvOptions { Token = "s3cret" });
        Assert.That(env.Reset(3).Observation[0], Is.EqualTo(3f));
    }

    [Test]
    public void InvalidAction_GetsAnErrorNamingIt_AndEndsTheSession()
    {
        using var server = new RemoteEnvServer(() => new CounterEnv()).Start();
        using var env = RemoteEnv.Connect<float[], int>("127.0.0.1", server.Port);
        env.Reset();
        var e = Assert.Throws<ProtocolException>(() => env.Step(7));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidArgument));
        Assert.That(e.Message, Does.Contain("action 7 is not in the action space"));
        var again = Assert.Throws<ProtocolException>(() => env.Step(1));
        Assert.That(again!.Code, Is.EqualTo(ErrorCode.Unavailable));
    }

    [Test]
    public void EnvFailure_IsReportedAsInternal()
    {
        using var server = new RemoteEnvServer(() => new CounterEnv()).Start();
        using var env = RemoteEnv.Connect<float[], int>("127.0.0.1", server.Port);
        var e = Assert.Throws<ProtocolException>(() => env.Reset(options: Fail));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.Internal));
        Assert.That(e.Message, Does.Contain("CounterEnv: asked to fail"));
    }

    [Test]
    public void UnknownEnvId_IsNotFound()
    {
        using var server = new RemoteEnvServer((id, _) => id == "counter" ? new CounterEnv() : throw new ArgumentException($"no env '{id}'")).Start();
        var e = Assert.Throws<ProtocolException>(() => RemoteEnv.Connect("127.0.0.1", server.Port, "Nope-v0"));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.NotFound));
        Assert.That(e.Message, Does.Contain("no env 'Nope-v0'"));
    }

    [Test]
    public void LostServer_GivesAClearErrorNotAHang()
    {
        var server = new RemoteEnvServer(() => new CounterEnv()).Start();
        using var env = RemoteEnv.Connect<float[], int>("127.0.0.1", server.Port, "", new RemoteEnvOptions { RequestTimeout = TimeSpan.FromSeconds(5) });
        env.Reset();
        server.Dispose();
        var e = Assert.Throws<ProtocolException>(() => env.Step(1));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.Unavailable));
        Assert.That(e.Message, Does.Contain("connection lost"));
        Assert.That(() => RemoteEnv.Connect("127.0.0.1", server.Port), Throws.TypeOf<ProtocolException>().With.Message.Contains("cannot connect"));
    }

    [Test]
    public void SilentServer_TimesOut()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var e = Assert.Throws<ProtocolException>(() => RemoteEnv.Connect("127.0.0.1", port, "", new RemoteEnvOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) }));
            Assert.That(e!.Code, Is.EqualTo(ErrorCode.Unavailable));
        }
        finally { listener.Stop(); }
    }

    [Test]
    public void IdleSession_IsClosedByTheServer_AndReconnectOpensANewOneOnReset()
    {
        using var server = new RemoteEnvServer(() => new CounterEnv(), new RemoteEnvServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(200) }).Start();
        using var env = RemoteEnv.Connect<float[], int>("127.0.0.1", server.Port, "", new RemoteEnvOptions { Reconnect = true });
        env.Reset(5);
        Thread.Sleep(600);
        var e = Assert.Throws<ProtocolException>(() => env.Step(1));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.DeadlineExceeded).Or.EqualTo(ErrorCode.Unavailable));
        Assert.That(env.Reset(6).Observation[0], Is.EqualTo(6f));
        Assert.That(env.Step(2).Observation[0], Is.EqualTo(8f));
        Assert.That(server.Stats.TotalSessions, Is.EqualTo(2));
    }

    [Test]
    public void FullServer_RefusesTheExtraSession()
    {
        using var server = new RemoteEnvServer(() => new CounterEnv(), new RemoteEnvServerOptions { MaxSessions = 1 }).Start();
        using var first = RemoteEnv.Connect<float[], int>("127.0.0.1", server.Port);
        var e = Assert.Throws<ProtocolException>(() => RemoteEnv.Connect("127.0.0.1", server.Port));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.ResourceExhausted));
        Assert.That(e.Message, Does.Contain("full (1 sessions)"));
        Assert.That(first.Reset(1).Observation[0], Is.EqualTo(1f));
    }

    [Test]
    public void WrongClientTypes_AreRefusedWithTheServersTypes()
    {
        using var server = new RemoteEnvServer(() => new CounterEnv()).Start();
        Assert.That(() => RemoteEnv.Connect<double[], int>("127.0.0.1", server.Port),
            Throws.InvalidOperationException.With.Message.Contains("observations of type Single[]"));
    }
}
