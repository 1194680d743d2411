using System.Buffers.Binary;
using System.Net.Sockets;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Remote;
using RlPlat.Connectors.Tests.TestEnvs;

namespace RlPlat.Connectors.Tests.Remote;

/// <summary>
/// Thousands of random and mutated frames against one server on loopback while a well-behaved client keeps stepping:
/// every bad frame gets an error reply and a closed session, the good client never notices, and the server ends with
/// no session left open. Seeded, so a failure reproduces.
/// </summary>
public class FuzzTests
{
    private const int Cases = 3000;
    private static readonly RemoteEnvServerOptions Options = new() { MaxFrameBytes = 1 << 16, FrameTimeout = TimeSpan.FromMilliseconds(300), IdleTimeout = TimeSpan.FromSeconds(5) };

    [Test]
    public void RandomAndMutatedFrames_GetErrorsAndClosedSessions_WhileOtherClientsKeepWorking()
    {
        using var server = new RemoteEnvServer(() => new CounterEnv(limit: int.MaxValue), Options).Start();
        int port = server.Port;
        using var stop = new CancellationTokenSource();
        long goodSteps = 0;
        var good = Task.Run(() =>
        {
            using var env = RemoteEnv.Connect<float[], int>("127.0.0.1", port);
            env.Reset(0);
            float expected = 0;
            while (!stop.IsCancellationRequested)
            {
                var obs = env.Step(1).Observation;
                expected += 1;
                if (obs[0] != expected) throw new InvalidOperationException($"good client saw {obs[0]}, expected {expected}");
                goodSteps++;
            }
        });

        var valid = ValidPayloads();
        var outcomes = new int[4]; // 0: error + closed, 1: accepted (a mutation that is still valid), 2: oversize error, 3: half-sent timeout
        Parallel.For(0, Cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var random = new Random(i);
            int kind = Fuzz(port, random, valid, i);
            Interlocked.Increment(ref outcomes[kind]);
        });
        stop.Cancel();
        good.Wait(TimeSpan.FromSeconds(30));

        Assert.That(good.IsCompletedSuccessfully, Is.True, good.Exception?.ToString());
        Assert.That(goodSteps, Is.GreaterThan(0));
        Assert.That(outcomes.Sum(), Is.EqualTo(Cases));
        Assert.That(outcomes[0], Is.GreaterThan(Cases / 2), "most random frames are invalid");
        Assert.That(outcomes[2], Is.GreaterThan(0));
        Assert.That(outcomes[3], Is.GreaterThan(0));
        // every session ends; the server still serves new clients
        SpinWait.SpinUntil(() => server.Stats.OpenSessions == 0, TimeSpan.FromSeconds(10));
        Assert.That(server.Stats.OpenSessions, Is.EqualTo(0));
        using var after = RemoteEnv.Connect<float[], int>("127.0.0.1", port);
        Assert.That(after.Reset(9).Observation[0], Is.EqualTo(9f));
        Assert.That(server.Stats.Errors, Is.GreaterThanOrEqualTo(outcomes[0] + outcomes[2] + outcomes[3]));
    }

    private static int Fuzz(int port, Random random, byte[][] valid, int i)
    {
        using var client = new TcpClient { NoDelay = true };
        client.Connect("127.0.0.1", port);
        client.ReceiveTimeout = 5000;
        var stream = client.GetStream();
        int mode = i % 20;
        if (mode == 0)
        {
            // a length prefix over the limit: refused before any payload is read
            Span<byte> header = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)random.Next(Options.MaxFrameBytes + 1, int.MaxValue));
            stream.Write(header);
            ExpectErrorThenClose(stream, ErrorCode.ResourceExhausted);
            return 2;
        }
        if (mode == 1 && i % 100 == 1)
        {
            // a half-sent frame: the server gives up after its frame timeout
            Span<byte> header = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 100);
            stream.Write(header);
            stream.Write(new byte[random.Next(0, 100)]);
            ExpectErrorThenClose(stream, ErrorCode.DeadlineExceeded);
            return 3;
        }
        // open a real session first half of the time, so mutations reach reset/step handling
        if (random.Next(2) == 0)
        {
            Send(stream, valid[0]);
            Assert.That(Reply(stream).Type, Is.EqualTo("created"));
            Send(stream, valid[1]);
            Assert.That(Reply(stream).Type, Is.EqualTo("reset"));
        }
        byte[] payload = mode < 8 ? RandomBytes(random) : Mutate(random, valid[random.Next(valid.Length)]);
        Send(stream, payload);
        var (type, fields) = Reply(stream);
        if (type == "error")
        {
            Assert.That(fields["code"], Is.TypeOf<long>());
            Assert.That(fields["message"], Is.TypeOf<string>().And.Not.Empty);
            ExpectClosed(stream);
            return 0;
        }
        Assert.That(type, Is.AnyOf("created", "reset", "step", "closed"), "a valid mutation gets a normal reply");
        return 1;
    }

    private static byte[][] ValidPayloads()
    {
        var f = new FrameBuilder();
        var list = new List<byte[]>();
        WireMessages.WriteCreate(f, "counter", new Dictionary<string, object?> { ["limit"] = 3 }, null); list.Add(f.Payload.ToArray());
        WireMessages.WriteReset(f, 4, null); list.Add(f.Payload.ToArray());
        WireMessages.WriteStep(f, 1, SpaceWire.Describe(new RlPlat.Environments.Discrete(3))); list.Add(f.Payload.ToArray());
        WireMessages.WriteStep(f, new[] { 1f, 2f }, SpaceWire.Describe(new RlPlat.Environments.Box(-1, 1, [2]))); list.Add(f.Payload.ToArray());
        WireMessages.WriteClose(f); list.Add(f.Payload.ToArray());
        return [.. list];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 200)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = new List<byte>(source);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break; // truncated message in a complete frame
            }
        }
        return [.. bytes];
    }

    private static void Send(NetworkStream stream, byte[] payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        stream.Write(frame);
    }

    private static (string Type, Dictionary<string, object?> Fields) Reply(NetworkStream stream)
    {
        var buffer = new byte[256];
        int n = FrameIO.ReadFrame(stream, ref buffer, 1 << 20);
        return WireMessages.Read(buffer.AsMemory(0, n));
    }

    private static void ExpectErrorThenClose(NetworkStream stream, ErrorCode code)
    {
        var (type, fields) = Reply(stream);
        Assert.That(type, Is.EqualTo("error"));
        Assert.That(fields["code"], Is.EqualTo((long)code));
        ExpectClosed(stream);
    }

    private static void ExpectClosed(NetworkStream stream)
    {
        var buffer = new byte[1];
        try { Assert.That(stream.Read(buffer), Is.EqualTo(0), "the server closes the session after an error"); }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset }) { /* closed with a reset: also closed */ }
    }
}
