namespace RlPlat.Experiments.Running;

/// <summary>
/// Serves a registered env over the wire protocol, in this process: <c>rlplat serve</c> and <c>connector.serve</c> use it.
/// The connectors layer provides the server (its <c>RemoteEnvServer</c>) by setting <see cref="Start"/> at start-up;
/// while it is unset, both report that plainly instead of running.
/// </summary>
public static class RemoteEnvHosting
{
    /// <summary>Starts serving an env id on a port (0 = any free port); the result names the bound port and stops the server when disposed.</summary>
    public static Func<string, int, ServedEnv>? Start { get; set; }

    /// <summary>The reason serving is not possible now, or null when it is.</summary>
    public static string? WhyUnavailable
        => Start is null ? "no remote env server is available yet (the connectors layer provides RemoteEnvServer and sets RemoteEnvHosting.Start)" : null;
}

/// <summary>A running in-process env server: the port it listens on; disposing stops it.</summary>
public sealed class ServedEnv(int port, IDisposable server) : IDisposable
{
    /// <summary>The TCP port the server listens on.</summary>
    public int Port => port;

    /// <summary>Stops the server.</summary>
    public void Dispose() => server.Dispose();
}
