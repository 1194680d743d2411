using System.Security.Cryptography;
using System.Text;
using RlPlat.Connectors.Protocol;
using RlPlat.Environments;

namespace RlPlat.Connectors.Remote;

/// <summary>
/// One client's session on the server side, independent of the transport: it decodes a request, drives its own env
/// instance and builds the reply. Any failure becomes an error reply after which the transport closes the session.
/// </summary>
internal sealed class RemoteEnvSession(EnvFactory factory, RemoteEnvServerOptions options) : IDisposable
{
    private IEnv? env;
    private SpaceDescription? observationSpace, actionSpace;
    private bool resetDone;

    /// <summary>True once the client ended the session with "close" (as opposed to an error).</summary>
    public bool ClosedByClient { get; private set; }

    /// <summary>Handles one request, writing the reply into <paramref name="reply"/>; false when the session must end.</summary>
    public bool Handle(ReadOnlyMemory<byte> request, FrameBuilder reply)
    {
        try
        {
            var (type, fields) = WireMessages.Read(request);
            switch (type)
            {
                case "create": Create(fields, reply); return true;
                case "reset": Reset(fields, reply); return true;
                case "step": Step(fields, reply); return true;
                case "close": WireMessages.WriteClosed(reply); ClosedByClient = true; return false;
                default: throw new ProtocolException(ErrorCode.Unimplemented, $"unknown message type '{WireDTypes.Truncate(type)}'");
            }
        }
        catch (ProtocolException e)
        {
            WireMessages.WriteError(reply, e.Code, e.Message);
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IndexOutOfRangeException or OverflowException)
        {
            WireMessages.WriteError(reply, ErrorCode.InvalidArgument, $"{e.GetType().Name}: {e.Message}");
        }
        catch (Exception e)
        {
            WireMessages.WriteError(reply, ErrorCode.Internal, $"the env failed: {e.GetType().Name}: {e.Message}");
        }
        return false;
    }

    private void Create(Dictionary<string, object?> fields, FrameBuilder reply)
    {
        if (env is not null) throw new ProtocolException(ErrorCode.FailedPrecondition, "create sent twice in one session");
        if (fields.GetValueOrDefault("version") is not long version || version != WireMessages.ProtocolVersion)
            throw new ProtocolException(ErrorCode.Unimplemented, $"protocol version {fields.GetValueOrDefault("version") ?? "nil"} is not supported (this server speaks {WireMessages.ProtocolVersion})");
        if (options.Token is { } expected && !TokenMatches(expected, fields.GetValueOrDefault("token") as string))
            throw new ProtocolException(ErrorCode.PermissionDenied, "missing or wrong token");
        string envId = fields.GetValueOrDefault("env_id") as string ?? "";
        var kwargs = fields.GetValueOrDefault("kwargs") switch
        {
            null => new Dictionary<string, object?>(),
            Dictionary<string, object?> map => map,
            var other => throw new ProtocolException(ErrorCode.InvalidArgument, $"kwargs must be a map, got {other.GetType().Name}"),
        };
        try { env = factory(envId, kwargs); }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw new ProtocolException(ErrorCode.NotFound, $"cannot make env '{WireDTypes.Truncate(envId)}': {e.Message}", e);
        }
        observationSpace = SpaceWire.Describe(env.ObservationSpace);
        actionSpace = SpaceWire.Describe(env.ActionSpace);
        WireMessages.WriteCreated(reply, envId, observationSpace, actionSpace, env.Spec?.MaxEpisodeSteps);
    }

    private static bool TokenMatches(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    private void Reset(Dictionary<string, object?> fields, FrameBuilder reply)
    {
        var e = Env("reset");
        int? seed = fields.GetValueOrDefault("seed") switch
        {
            null => null,
            long s when s is >= int.MinValue and <= int.MaxValue => (int)s,
            var other => throw new ProtocolException(ErrorCode.InvalidArgument, $"seed must be an int32 or nil, got {other}"),
        };
        var resetOptions = fields.GetValueOrDefault("options") switch
        {
            null => null,
            Dictionary<string, object?> map => map,
            var other => throw new ProtocolException(ErrorCode.InvalidArgument, $"options must be a map or nil, got {other.GetType().Name}"),
        };
        var (obs, info) = e.ResetObject(seed, resetOptions);
        resetDone = true;
        WireMessages.WriteResetResult(reply, obs, observationSpace!, info);
    }

    private void Step(Dictionary<string, object?> fields, FrameBuilder reply)
    {
        var e = Env("step");
        if (!resetDone) throw new ProtocolException(ErrorCode.FailedPrecondition, "step before the first reset");
        if (!fields.TryGetValue("action", out var raw)) throw new ProtocolException(ErrorCode.InvalidArgument, "step has no 'action'");
        var action = actionSpace!.Coerce(raw, "action");
        if (!e.ActionSpace.ContainsObject(action))
            throw new ProtocolException(ErrorCode.InvalidArgument, $"action {Describe(action)} is not in the action space {e.ActionSpace}");
        var r = e.StepObject(action);
        WireMessages.WriteStepResult(reply, r.Observation, observationSpace!, r.Reward, r.Terminated, r.Truncated, r.Info);
    }

    private static string Describe(object value) => value is Array a ? $"[{string.Join(", ", a.Cast<object>().Take(8))}{(a.Length > 8 ? ", ..." : "")}]" : value.ToString() ?? "";

    private IEnv Env(string what) => env ?? throw new ProtocolException(ErrorCode.FailedPrecondition, $"{what} before create");

    public void Dispose()
    {
        try { env?.Close(); }
        catch (Exception) { /* a failing Close must not take the server down; the session is gone either way */ }
        env = null;
    }
}

/// <summary>Makes the env for a session from the id and keyword arguments the client sent.</summary>
public delegate IEnv EnvFactory(string envId, IReadOnlyDictionary<string, object?> kwargs);
