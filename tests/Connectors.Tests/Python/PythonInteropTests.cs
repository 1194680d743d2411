using System.Globalization;
using System.Text.Json;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Remote;
using RlPlat.Environments;

namespace RlPlat.Connectors.Tests.Python;

public class PythonInteropTests
{
    private static readonly int[] Actions = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0];

    [Test]
    public void PythonServer_HostsAPythonEnv_ThatOurClientSteps_LikeOurCartPole()
    {
        var server = PythonPeer.Start("serve", "--port", "0", "--token", "tok");
        try
        {
            string line = PythonPeer.ReadLine(server, TimeSpan.FromSeconds(20));
            int port = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            using var remote = RemoteEnv.Connect<float[], int>("127.0.0.1", port, "CartPole-py", new RemoteEnvOptions { Token = "tok" });
            Assert.That(((Discrete)remote.ActionSpace).N, Is.EqualTo(2));
            Assert.That(((Box)remote.ObservationSpace).DType, Is.EqualTo(BoxDType.Float32));
            Assert.That(remote.MaxEpisodeSteps, Is.EqualTo(500));

            // the pure-Python CartPole seeds and moves exactly like Gymnasium's, and so like ours
            using var local = Gym.Make<float[], int>("CartPole-v1");
            var r0 = remote.Reset(42).Observation;
            Assert.That(r0, Is.EqualTo(local.Reset(42).Observation).Within(1e-7));
            Assert.That(r0[0], Is.EqualTo(0.0273956f).Within(1e-7), "Gymnasium's CartPole-v1 reset(seed=42)");
            foreach (int a in Actions)
            {
                var r = remote.Step(a);
                var l = local.Step(a);
                Assert.That(r.Observation, Is.EqualTo(l.Observation).Within(1e-6));
                Assert.That((r.Reward, r.Terminated), Is.EqualTo((l.Reward, l.Terminated)));
            }
            // bad input reaches Python's error path and comes back as a protocol error
            var e = Assert.Throws<ProtocolException>(() => remote.Step(5));
            Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidArgument));
            Assert.That(() => RemoteEnv.Connect("127.0.0.1", port, "CartPole-py"), Throws.TypeOf<ProtocolException>().With.Property("Code").EqualTo(ErrorCode.PermissionDenied));
        }
        finally { PythonPeer.Stop(server); }
    }

    [Test]
    public void PythonClient_DrivesOurServer_AndSeesOurCartPole()
    {
        using var server = new RemoteEnvServer().Start();
        var client = PythonPeer.Start("client", "--port", server.Port.ToString(CultureInfo.InvariantCulture), "--env", "CartPole-v1", "--seed", "7",
            "--actions", string.Join(",", Actions));
        try
        {
            using var local = Gym.Make<float[], int>("CartPole-v1");
            using (var reset = JsonDocument.Parse(PythonPeer.ReadLine(client, TimeSpan.FromSeconds(20))))
            {
                Assert.That(Floats(reset.RootElement.GetProperty("reset")), Is.EqualTo(local.Reset(7).Observation));
                Assert.That(reset.RootElement.GetProperty("action_space").GetString(), Is.EqualTo("Discrete(2)"));
            }
            foreach (int a in Actions)
            {
                var l = local.Step(a);
                using var step = JsonDocument.Parse(PythonPeer.ReadLine(client, TimeSpan.FromSeconds(10)));
                Assert.That(Floats(step.RootElement.GetProperty("obs")), Is.EqualTo(l.Observation), "float32 values survive the trip exactly");
                Assert.That(step.RootElement.GetProperty("reward").GetDouble(), Is.EqualTo(l.Reward));
                Assert.That(step.RootElement.GetProperty("terminated").GetBoolean(), Is.EqualTo(l.Terminated));
                if (l.Done) break;
            }
            Assert.That(client.WaitForExit(10_000) && client.ExitCode == 0, Is.True, client.StandardError.ReadToEnd());
            SpinWait.SpinUntil(() => server.Stats.OpenSessions == 0, TimeSpan.FromSeconds(5));
            Assert.That(server.Stats.Errors, Is.EqualTo(0));
        }
        finally { PythonPeer.Stop(client); }
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
}
