using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Streams;
using RlPlat.Environments;

namespace RlPlat.Connectors.Recording;

/// <summary>
/// A recorded log played back as a step env: Reset returns the next recorded episode start, each Step returns the
/// next recorded transition whatever the action (the recorded one is in info "recorded_action"). An episode the log
/// cut short ends truncated; when the log is exhausted Reset starts over from the first episode if <c>loop</c>, else fails.
/// </summary>
public sealed class ReplayEnv : ConnectorEnv<object, object>
{
    private readonly string path;
    private readonly bool loop;
    private IEnumerator<Transition<object, object>> records;
    private Transition<object, object>? pending;
    private object lastObservation = Array.Empty<float>();

    /// <summary>Opens the log at <paramref name="path"/>.</summary>
    public ReplayEnv(string path, bool loop = false)
    {
        this.path = path;
        this.loop = loop;
        using (var reader = new TransitionLogReader(path))
        {
            ObservationSpace = reader.ObservationSpace is { } o ? SpaceWire.Rebuild(o) : new OpaqueSpace([], "unknown");
            ActionSpace = reader.ActionSpace is { } a ? SpaceWire.Rebuild(a) : new OpaqueSpace([], "unknown");
        }
        records = TransitionLog.ReadAll<object, object>(path).GetEnumerator();
    }

    /// <inheritdoc/>
    public override Space ObservationSpace { get; }

    /// <inheritdoc/>
    public override Space ActionSpace { get; }

    /// <summary>Episodes started so far.</summary>
    public int Episodes { get; private set; }

    /// <inheritdoc/>
    public override (object Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        bool restarted = false;
        while (true)
        {
            var t = Next();
            if (t is null)
            {
                if (!loop || restarted) throw new InvalidOperationException($"ReplayEnv: the log {path} has no more episodes{(loop ? " (it has none at all)" : "; set loop to start over")}.");
                records.Dispose();
                records = TransitionLog.ReadAll<object, object>(path).GetEnumerator();
                restarted = true;
                continue;
            }
            if (!t.IsReset) continue; // skip the rest of an episode the agent abandoned
            Episodes++;
            lastObservation = t.Observation;
            return (t.Observation, t.Info);
        }
    }

    /// <inheritdoc/>
    public override StepResult<object> Step(object action)
    {
        var t = Next();
        if (t is null || t.IsReset)
        {
            pending = t; // an episode start stays for the next Reset
            return new StepResult<object>(lastObservation, 0, false, true, new Info().With("replay_end", t is null));
        }
        lastObservation = t.Observation;
        var info = new Info();
        foreach (var (k, v) in t.Info) info[k] = v;
        info["recorded_action"] = t.Action;
        return new StepResult<object>(t.Observation, t.Reward, t.Terminated, t.Truncated, info);
    }

    private Transition<object, object>? Next()
    {
        if (pending is not null)
        {
            var p = pending;
            pending = null;
            return p;
        }
        return records.MoveNext() ? records.Current : null;
    }

    /// <inheritdoc/>
    public override void Close() => records.Dispose();
}
