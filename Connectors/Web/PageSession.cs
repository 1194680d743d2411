using RlPlat.Connectors.Protocol;
using RlPlat.Environments;

namespace RlPlat.Connectors.Web;

/// <summary>
/// rlplat's side of one session with a page, over one <see cref="PageConnection"/>: create, reset, step, close as
/// in PROTOCOL.md, with the page in the env's role. Everything the page sends is checked (message shape, spaces,
/// observations inside the observation space, finite rewards); a page that breaks the protocol gets an error
/// message, loses its connection, and the failure surfaces as a <see cref="PageLostException"/> saying why.
/// </summary>
internal sealed class PageSession
{
    private readonly FrameBuilder request = new();
    private readonly TimeSpan timeout;

    private PageSession(PageConnection connection, TimeSpan timeout, SpaceDescription observation, SpaceDescription action)
    {
        Connection = connection;
        this.timeout = timeout;
        Observation = observation;
        Action = action;
        ObservationSpace = SpaceWire.Rebuild(observation);
        ActionSpace = SpaceWire.Rebuild(action);
    }

    public PageConnection Connection { get; }

    public SpaceDescription Observation { get; }

    public SpaceDescription Action { get; }

    public Space ObservationSpace { get; }

    public Space ActionSpace { get; }

    /// <summary>Sends create and reads the spaces the page describes.</summary>
    public static PageSession Open(PageConnection connection, WebGameOptions options)
    {
        var create = new FrameBuilder();
        WireMessages.WriteCreate(create, options.EnvId, options.CreateKwargs(), token: null);
        var created = Checked(connection, () =>
        {
            var fields = WireMessages.Expect(connection.Exchange(create, options.RequestTimeout), "created", $"web create on slot {connection.Slot}");
            return new PageSession(connection, options.RequestTimeout,
                SpaceDescription.FromMap(fields.GetValueOrDefault("observation_space"), "observation_space"),
                SpaceDescription.FromMap(fields.GetValueOrDefault("action_space"), "action_space"));
        });
        return created;
    }

    /// <summary>Starts an episode on the page.</summary>
    public (object Observation, Info Info) Reset(int? seed)
    {
        WireMessages.WriteReset(request, seed, null);
        return Checked(Connection, () => ReadReset(WireMessages.Expect(Connection.Exchange(request, timeout), "reset", $"web reset on slot {Connection.Slot}")));
    }

    /// <summary>One frame with <paramref name="action"/> (lockstep).</summary>
    public StepResult<object> Step(object action)
    {
        WireMessages.WriteStep(request, action, Action);
        return Checked(Connection, () => ReadStep(WireMessages.Expect(Connection.Exchange(request, timeout), "step", $"web step on slot {Connection.Slot}")));
    }

    /// <summary>Live mode: tells the page the action to apply from its next frame on (no reply).</summary>
    public void Act(FrameBuilder frame, object action)
    {
        var w = frame.Begin();
        w.WriteMapHeader(2);
        w.Write("type"); w.Write("act");
        w.Write("action"); ValueCodec.Write(ref w, action, Action.TensorShape);
        frame.End(ref w);
        Connection.Send(frame, timeout);
    }

    /// <summary>Ends the session politely: close, wait for closed (best effort), close the socket.</summary>
    public void Close()
    {
        try
        {
            WireMessages.WriteClose(request);
            WireMessages.Expect(Connection.Exchange(request, timeout), "closed", $"web close on slot {Connection.Slot}");
        }
        catch (Exception e) when (e is PageLostException or ProtocolException)
        {
            // The page is gone or misbehaved while closing; the session ends either way.
        }
        Connection.Close("the env was closed");
    }

    /// <summary>Reads a pushed live message: a step, or the first frame of a new episode (reset).</summary>
    public (object Observation, double Reward, bool Terminated, bool Truncated, bool IsReset, Info Info) ReadPush(byte[] message) => Checked(Connection, () =>
    {
        var (type, fields) = WireMessages.Read(message);
        switch (type)
        {
            case "step":
                var s = ReadStep(fields);
                return (s.Observation, s.Reward, s.Terminated, s.Truncated, false, s.Info);
            case "reset":
                var (obs, info) = ReadReset(fields);
                return (obs, 0.0, false, false, true, info);
            default:
                // An error message from the page, or a type that has no place here: Expect throws the fitting ProtocolException.
                WireMessages.Expect(message, "step", $"web live frame on slot {Connection.Slot}");
                throw new System.Diagnostics.UnreachableException();
        }
    });

    private (object, Info) ReadReset(Dictionary<string, object?> fields) => (Observe(fields), ToInfo(fields));

    private StepResult<object> ReadStep(Dictionary<string, object?> fields)
    {
        var obs = Observe(fields);
        double reward = fields.GetValueOrDefault("reward") switch
        {
            double d when double.IsFinite(d) => d,
            long l => l,
            var r => throw Bad($"'reward' = {r ?? "nil"} (it must be a finite number)"),
        };
        bool terminated = fields.GetValueOrDefault("terminated") as bool? ?? throw Bad($"'terminated' = {fields.GetValueOrDefault("terminated") ?? "nil"}");
        bool truncated = fields.GetValueOrDefault("truncated") as bool? ?? throw Bad($"'truncated' = {fields.GetValueOrDefault("truncated") ?? "nil"}");
        return new StepResult<object>(obs, reward, terminated, truncated, ToInfo(fields));
    }

    private object Observe(Dictionary<string, object?> fields)
    {
        var obs = Observation.Coerce(fields.GetValueOrDefault("observation"), "observation");
        if (!ObservationSpace.ContainsObject(obs)) throw Bad($"an observation outside its own observation space {ObservationSpace}");
        return obs;
    }

    private static Info ToInfo(Dictionary<string, object?> fields)
    {
        if (fields.GetValueOrDefault("info") is not Dictionary<string, object?> map || map.Count == 0) return Info.Empty;
        var info = new Info();
        foreach (var (k, v) in map) info[k] = v;
        return info;
    }

    private static ProtocolException Bad(string what) => new(ErrorCode.InvalidArgument, $"the page sent {what}");

    /// <summary>Runs a read; a protocol violation rejects the page (error message, connection closed) and becomes a PageLostException.</summary>
    private static T Checked<T>(PageConnection connection, Func<T> read)
    {
        try { return read(); }
        catch (ProtocolException e)
        {
            connection.Reject(e.Code, e.Message);
            throw new PageLostException($"the page was rejected: {e.Message}");
        }
    }
}
