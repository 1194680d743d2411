using RlPlat.Environments;

namespace RlPlat.Connectors.Web;

/// <summary>
/// A web game in lockstep as a step env: each Step sends the action to the page and returns the frame it answers
/// with, so any agent trains on it unchanged. When the page is lost mid-episode (reload, closed tab, crashed
/// browser, a page rejected for a malformed message), Step ends the episode as truncated with the reason in
/// <c>info["web_disconnect"]</c>, and the next Reset waits for the page to come back (reopening the tab or
/// relaunching the browser when needed).
/// </summary>
public sealed class WebEnv<TObs, TAction> : ConnectorEnv<TObs, TAction>
{
    private readonly PageSlot slot;
    private readonly WebGameOptions options;
    private PageSession? session;
    private TObs lastObservation = default!;
    private int? seedBase;
    private int episodesSinceSeed, failuresInARow;
    private bool closed;

    internal WebEnv(PageSlot slot, WebGameOptions options, PageSession first)
    {
        this.slot = slot;
        this.options = options;
        session = first;
        ObservationSpace = first.ObservationSpace;
        ActionSpace = first.ActionSpace;
    }

    /// <inheritdoc/>
    public override Space ObservationSpace { get; }

    /// <inheritdoc/>
    public override Space ActionSpace { get; }

    /// <summary>The tab this env plays in.</summary>
    public PageSlot Slot => slot;

    /// <summary>Episodes ended early because the page was lost.</summary>
    public int PagesLost { get; private set; }

    /// <summary>Why the page was last lost, or null.</summary>
    public string? LastLossReason { get; private set; }

    /// <inheritdoc/>
    public override (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        ThrowIfClosed();
        if (seed is not null) { seedBase = seed; episodesSinceSeed = 0; }
        while (true)
        {
            bool fresh = session is null;
            try
            {
                session ??= OpenSession();
                // A new page has a new generator: continue the seeded sequence deterministically instead of from the clock.
                int? sent = seed ?? (fresh && seedBase is { } b ? unchecked(b + episodesSinceSeed) : null);
                var (obs, info) = session.Reset(sent);
                episodesSinceSeed++;
                lastObservation = (TObs)obs;
                return (lastObservation, info);
            }
            catch (PageLostException e)
            {
                Lost(e.Message);
                if (failuresInARow >= this.options.MaxFailures)
                    throw new InvalidOperationException($"web: slot {slot.Index} lost its page {failuresInARow} times in a row without a step; last: {e.Message}", e);
            }
        }
    }

    /// <inheritdoc/>
    public override StepResult<TObs> Step(TAction action)
    {
        ThrowIfClosed();
        if (action is null || !ActionSpace.ContainsObject(action))
            throw new ArgumentException($"web: action {action} is not in the action space {ActionSpace}.", nameof(action));
        if (session is null)
            throw new InvalidOperationException($"web: slot {slot.Index}: the episode ended when the page was lost ({LastLossReason}); call Reset.");
        try
        {
            var r = session.Step(action);
            failuresInARow = 0;
            lastObservation = (TObs)r.Observation;
            return new StepResult<TObs>(lastObservation, r.Reward, r.Terminated, r.Truncated, r.Info);
        }
        catch (PageLostException e)
        {
            Lost(e.Message);
            return new StepResult<TObs>(lastObservation, 0, false, true, new Info().With("web_disconnect", e.Message));
        }
    }

    private void Lost(string reason)
    {
        session = null;
        PagesLost++;
        failuresInARow++;
        LastLossReason = reason;
    }

    private PageSession OpenSession()
    {
        var opened = PageSession.Open(slot.Acquire(options.ConnectTimeout), options);
        if (opened.ObservationSpace.ToString() != ObservationSpace.ToString() || opened.ActionSpace.ToString() != ActionSpace.ToString())
        {
            var change = $"the reconnected page describes {opened.ObservationSpace} and {opened.ActionSpace}; this env plays {ObservationSpace} and {ActionSpace}";
            opened.Connection.Reject(Protocol.ErrorCode.InvalidArgument, change);
            throw new PageLostException(change);
        }
        return opened;
    }

    private void ThrowIfClosed()
    {
        if (closed) throw new InvalidOperationException($"web: slot {slot.Index} used after Close.");
    }

    /// <summary>Ends the session and gives the tab back.</summary>
    public override void Close()
    {
        if (closed) return;
        closed = true;
        session?.Close();
        session = null;
        slot.Dispose();
    }
}

/// <summary>Opens web games as step envs.</summary>
public static class WebEnv
{
    /// <summary>
    /// Plays the page in <paramref name="slot"/> in lockstep: waits for it to connect, runs the handshake, and returns
    /// a <see cref="WebEnv{TObs,TAction}"/> typed after the spaces the page describes (state Catch: float[] and int).
    /// The env owns the slot: closing it closes the tab.
    /// </summary>
    public static IEnv Open(PageSlot slot, WebGameOptions options)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode != WebMode.Lockstep) throw new ArgumentException($"WebEnv.Open plays lockstep pages; mode is {options.Mode} (use LiveGame for live pages).", nameof(options));
        PageSession first;
        try { first = PageSession.Open(slot.Acquire(options.ConnectTimeout), options); }
        catch (PageLostException e) { throw new InvalidOperationException($"web: the page in slot {slot.Index} failed its handshake: {e.Message}", e); }
        var type = typeof(WebEnv<,>).MakeGenericType(first.Observation.ElementType, first.Action.ElementType);
        const System.Reflection.BindingFlags flags = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        return (IEnv)Activator.CreateInstance(type, flags, null, [slot, options, first], null)!;
    }
}
