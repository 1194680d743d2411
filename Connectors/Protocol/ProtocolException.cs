namespace RlPlat.Connectors.Protocol;

/// <summary>Error codes of the wire protocol; the numbers are gRPC's status codes, as dm_env_rpc uses.</summary>
public enum ErrorCode
{
    /// <summary>A request's content is wrong: bad action, bad field type, malformed MessagePack.</summary>
    InvalidArgument = 3,
    /// <summary>The peer took too long to send a frame.</summary>
    DeadlineExceeded = 4,
    /// <summary>The requested env id is not registered.</summary>
    NotFound = 5,
    /// <summary>The handshake token is missing or wrong.</summary>
    PermissionDenied = 7,
    /// <summary>A frame is larger than the limit, or the server is full.</summary>
    ResourceExhausted = 8,
    /// <summary>The request is valid but not now (step before create or reset, create twice).</summary>
    FailedPrecondition = 9,
    /// <summary>Unknown message type or protocol version.</summary>
    Unimplemented = 12,
    /// <summary>The env itself failed.</summary>
    Internal = 13,
    /// <summary>The connection was lost.</summary>
    Unavailable = 14,
}

/// <summary>A protocol-level failure with its <see cref="ErrorCode"/>; sent to the peer as an error message.</summary>
public sealed class ProtocolException(ErrorCode code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The wire error code.</summary>
    public ErrorCode Code { get; } = code;
}
