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
    }
}
