namespace RlPlat.Connectors.Remote;

/// <summary>Options of a <see cref="RemoteEnv{TObs,TAction}"/> client.</summary>
public sealed record RemoteEnvOptions
{
    /// <summary>Keyword arguments for the server's env factory (Gym.Make kwargs).</summary>
    public IReadOnlyDictionary<string, object?>? EnvKwargs { get; init; }

    /// <summary>The server's shared secret, when it has one.</summary>
    public string? Token { get; init; }

    /// <summary>Longest wait for connecting.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for a reply; a silent server then gives a clear error instead of a hang.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest accepted reply frame.</summary>
    public int MaxFrameBytes { get; init; } = 64 << 20;

    /// <summary>
    /// After a lost connection, the next Reset opens a new session (a new env on the server) instead of failing.
    /// Steps never reconnect on their own: the episode's state is gone with the old session.
    /// </summary>
    public bool Reconnect { get; init; }

    /// <summary>Checks the values, naming the bad one.</summary>
    public void Validate()
    {
        if (ConnectTimeout <= TimeSpan.Zero) throw new ArgumentException($"RemoteEnvOptions: ConnectTimeout {ConnectTimeout} must be positive.");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException($"RemoteEnvOptions: RequestTimeout {RequestTimeout} must be positive.");
        if (MaxFrameBytes < 64) throw new ArgumentException($"RemoteEnvOptions: MaxFrameBytes {MaxFrameBytes} is below 64.");
    }
}
