using RlPlat.Connectors.Remote;
using RlPlat.Environments;

namespace RlPlat.Experiments.Running;

/// <summary>Connects the runner's hooks to the layers below it (connectors' env server, agents' run targets and evaluation); called once at start-up.</summary>
public static class LayerWiring
{
    private static int installed;

    /// <summary>Sets every hook; calling it again is harmless.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        RemoteEnvHosting.Start = (envId, port) =>
        {
            var server = new RemoteEnvServer(() => Gym.Make(envId), new RemoteEnvServerOptions { Port = port }).Start();
            return new ServedEnv(server.Port, server);
        };
        AgentRunTarget.RegisterAll();
        RunEvaluation.Evaluate = AgentEvaluation.Evaluate;
        OnlineRunTarget.RegisterAll();
        // The engine's GPU backend answers whether CUDA exists; the agents' networks and rollouts are not moved to the
        // GPU by the runner yet, so a cuda run is refused with the reason rather than silently trained on the CPU.
        Devices.CudaProbe = () => RlPlat.Engine.Device.CudaDeviceCount > 0
            ? "the runner does not train agents on the GPU yet (the engine's GPU backend does: see README, Engine: GPU backend); use --device cpu"
            : "no CUDA GPU found (ILGPU sees no NVIDIA driver or device); use --device cpu";
    }
}
