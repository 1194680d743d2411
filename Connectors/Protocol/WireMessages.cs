using MessagePack;

namespace RlPlat.Connectors.Protocol;

/// <summary>
/// The messages of the remote-env protocol (see Connectors/PROTOCOL.md): MessagePack maps with a "type" key, shaped
/// after dm_env_rpc (create, reset, step, close; spaces in the handshake; errors with a code and text).
/// </summary>
public static class WireMessages
{
    /// <summary>The protocol version this build speaks; a create with another version is refused.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>Client -> server: open a session on env <paramref name="envId"/>.</summary>
    public static void WriteCreate(FrameBuilder frame, string envId, IReadOnlyDictionary<string, object?>? kwargs, string? token)
    {
        var w = frame.Begin();
        w.WriteMapHeader(5);
        w.Write("type"); w.Write("create");
        w.Write("version"); w.Write(ProtocolVersion);
        w.Write("env_id"); w.Write(envId);
        w.Write("kwargs"); ValueCodec.Write(ref w, kwargs ?? new Dictionary<string, object?>());
        w.Write("token"); if (token is null) w.WriteNil(); else w.Write(token);
        frame.End(ref w);
    }

    /// <summary>Client -> server: start an episode.</summary>
    public static void WriteReset(FrameBuilder frame, int? seed, IReadOnlyDictionary<string, object?>? options)
    {
        var w = frame.Begin();
        w.WriteMapHeader(3);
        w.Write("type"); w.Write("reset");
        w.Write("seed"); if (seed is { } s) w.Write(s); else w.WriteNil();
        w.Write("options"); ValueCodec.Write(ref w, options);
        frame.End(ref w);
    }

    /// <summary>Client -> server: apply one action.</summary>
    public static void WriteStep(FrameBuilder frame, object action, SpaceDescription actionSpace)
    {
        var w = frame.Begin();
        w.WriteMapHeader(2);
        w.Write("type"); w.Write("step");
        w.Write("action"); ValueCodec.Write(ref w, action, actionSpace.TensorShape);
        frame.End(ref w);
    }

    /// <summary>Client -> server: end the session.</summary>
    public static void WriteClose(FrameBuilder frame)
    {
        var w = frame.Begin();
        w.WriteMapHeader(1);
        w.Write("type"); w.Write("close");
        frame.End(ref w);
    }

    /// <summary>Server -> client: the session is open; the spaces describe observations and actions.</summary>
    public static void WriteCreated(FrameBuilder frame, string envId, SpaceDescription observationSpace, SpaceDescription actionSpace, int? maxEpisodeSteps)
    {
        var w = frame.Begin();
        w.WriteMapHeader(6);
        w.Write("type"); w.Write("created");
        w.Write("version"); w.Write(ProtocolVersion);
        w.Write("env_id"); w.Write(envId);
        w.Write("observation_space"); observationSpace.Write(ref w);
        w.Write("action_space"); actionSpace.Write(ref w);
        w.Write("max_episode_steps"); if (maxEpisodeSteps is { } m) w.Write(m); else w.WriteNil();
        frame.End(ref w);
    }

    /// <summary>Server -> client: the first observation of an episode.</summary>
    public static void WriteResetResult(FrameBuilder frame, object observation, SpaceDescription observationSpace, IReadOnlyDictionary<string, object?> info)
    {
        var w = frame.Begin();
        w.WriteMapHeader(3);
        w.Write("type"); w.Write("reset");
        w.Write("observation"); ValueCodec.Write(ref w, observation, observationSpace.TensorShape);
        w.Write("info"); ValueCodec.Write(ref w, info, lenient: true);
        frame.End(ref w);
    }

    /// <summary>Server -> client: the result of a step.</summary>
    public static void WriteStepResult(FrameBuilder frame, object observation, SpaceDescription observationSpace, double reward, bool terminated, bool truncated,
        IReadOnlyDictionary<string, object?> info)
    {
        var w = frame.Begin();
        w.WriteMapHeader(6);
        w.Write("type"); w.Write("step");
        w.Write("observation"); ValueCodec.Write(ref w, observation, observationSpace.TensorShape);
        w.Write("reward"); w.Write(reward);
        w.Write("terminated"); w.Write(terminated);
        w.Write("truncated"); w.Write(truncated);
        w.Write("info"); ValueCodec.Write(ref w, info, lenient: true);
        frame.End(ref w);
    }

    /// <summary>Server -> client: the session is closed.</summary>
    public static void WriteClosed(FrameBuilder frame)
    {
        var w = frame.Begin();
        w.WriteMapHeader(1);
        w.Write("type"); w.Write("closed");
        frame.End(ref w);
    }

    /// <summary>Either side: a failure; the sender closes the session after it.</summary>
    public static void WriteError(FrameBuilder frame, ErrorCode code, string message)
    {
        var w = frame.Begin();
        w.WriteMapHeader(4);
        w.Write("type"); w.Write("error");
        w.Write("code"); w.Write((int)code);
        w.Write("name"); w.Write(code.ToString());
        w.Write("message"); w.Write(message);
        frame.End(ref w);
    }

    /// <summary>Decodes a frame's payload: one map with a string "type"; anything else is a <see cref="ProtocolException"/>.</summary>
    public static (string Type, Dictionary<string, object?> Fields) Read(ReadOnlyMemory<byte> payload)
    {
        if (payload.IsEmpty) throw new ProtocolException(ErrorCode.InvalidArgument, "empty frame");
        var reader = new MessagePackReader(payload);
        var map = ValueCodec.Guard(ref reader, static (ref MessagePackReader r) => ValueCodec.ReadMap(ref r));
        if (!reader.End) throw new ProtocolException(ErrorCode.InvalidArgument, $"{payload.Length - reader.Consumed} bytes after the message");
        if (map.GetValueOrDefault("type") is not string type) throw new ProtocolException(ErrorCode.InvalidArgument, "message has no string 'type'");
        return (type, map);
    }

    /// <summary>Throws the error a server reply carries, or when its type is not <paramref name="expected"/>.</summary>
    public static Dictionary<string, object?> Expect(ReadOnlyMemory<byte> payload, string expected, string during)
    {
        var (type, fields) = Read(payload);
        if (type == "error")
        {
            var code = fields.GetValueOrDefault("code") is long c && Enum.IsDefined(typeof(ErrorCode), (int)c) ? (ErrorCode)(int)c : ErrorCode.Internal;
            throw new ProtocolException(code, $"{during}: the server replied {code}: {fields.GetValueOrDefault("message") as string ?? "(no message)"}");
        }
        if (type != expected) throw new ProtocolException(ErrorCode.InvalidArgument, $"{during}: expected a '{expected}' reply, got '{WireDTypes.Truncate(type)}'");
        return fields;
    }
}
