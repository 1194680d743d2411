using System.Net;

namespace RlPlat.Connectors.Remote;

/// <summary>Options of <see cref="RemoteEnvServer"/> and <see cref="WebSocketEnvServer"/>.</summary>
public sealed record RemoteEnvServerOptions
{
    /// <summary>Address to listen on; loopback unless the user asks otherwise.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port to listen on; 0 picks a free one (read it back from the server's <c>Port</c>).</summary>
    public int Port { get; init; }

    /// <summary>Largest accepted frame payload; a bigger length prefix gets an error and a closed session.</summary>
    public int MaxFrameBytes { get; init; } = 4 << 20;

    /// <summary>Longest wait for the next request before the session is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest time from a frame's first byte to its last (guards against half-sent frames).</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A shared secret the client must send in its create message; null: none needed.</summary>
    public string? Token { get; init; }

    /// <summary>Most sessions open at once; more are refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxSessions { get; init; } = 256;

    /// <summary>Checks the values, naming the bad one.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"RemoteEnvServerOptions: Port {Port} is not in [0, 65535].");
        if (MaxFrameBytes < 64) throw new ArgumentException($"RemoteEnvServerOptions: MaxFrameBytes {MaxFrameBytes} is below 64.");
        if (IdleTimeout <= TimeSpan.Zero) throw new ArgumentException($"RemoteEnvServerOptions: IdleTimeout {IdleTimeout} must be positive.");
        if (FrameTimeout <= TimeSpan.Zero) throw new ArgumentException($"RemoteEnvServerOptions: FrameTimeout {FrameTimeout} must be positive.");
        if (MaxSessions < 1) throw new ArgumentException($"RemoteEnvServerOptions: MaxSessions {MaxSessions} must be at least 1.");
    }
}

/// <summary>What a server has done so far; a snapshot.</summary>
/// <param name="OpenSessions">Sessions connected now.</param>
/// <param name="TotalSessions">Sessions accepted since start.</param>
/// <param name="Requests">Requests answered without error.</param>
/// <param name="Errors">Sessions closed because of an error (bad frame, bad message, env failure, timeout).</param>
public readonly record struct RemoteEnvServerStats(int OpenSessions, long TotalSessions, long Requests, long Errors);
