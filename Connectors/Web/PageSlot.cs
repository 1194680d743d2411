using System.Diagnostics;

namespace RlPlat.Connectors.Web;

/// <summary>
/// One tab's place in a <see cref="WebGameHost"/>: one env or stream plays through it. It holds the page's current
/// connection and, when that connection is gone, gets a new one: a reloaded page reconnects on its own; a closed or
/// hung tab is reopened; a dead browser is relaunched (with a tab for every slot).
/// </summary>
public sealed class PageSlot : IDisposable
{
    /// <summary>How long a vanished page gets to come back by itself (a reload) before its tab is replaced.</summary>
    private static readonly TimeSpan ReloadGrace = TimeSpan.FromSeconds(2);

    private readonly WebGameHost host;
    private readonly object gate = new();
    private PageConnection? current;
    private bool released;

    internal PageSlot(WebGameHost host, int index)
    {
        this.host = host;
        Index = index;
    }

    /// <summary>The host that serves this slot's page.</summary>
    public WebGameHost Host => host;

    /// <summary>The slot number (the page's URL carries it as <c>?slot=N</c>).</summary>
    public int Index { get; }

    /// <summary>The page's address for this slot.</summary>
    public Uri Url => host.SlotUrl(Index);

    /// <summary>The DevTools id of the tab opened for this slot (launched browsers only).</summary>
    public string? TabId { get; internal set; }

    /// <summary>Pages that connected to this slot so far (a reload or recovery adds one).</summary>
    public int Connections { get; private set; }

    /// <summary>Recoveries done by rlplat (tabs reopened, browser relaunches) while waiting for this slot's page.</summary>
    public int Recoveries { get; private set; }

    /// <summary>True while no page plays in this slot (none connected yet, or its connection ended).</summary>
    internal bool IsWaiting
    {
        get { lock (gate) return !released && current is null or { EndReason: not null }; }
    }

    /// <summary>A page connected for this slot; the newest page wins (an old connection still open is closed).</summary>
    internal void Attach(PageConnection connection)
    {
        PageConnection? old;
        lock (gate)
        {
            old = current;
            current = connection;
            Connections++;
            Monitor.PulseAll(gate);
        }
        if (old is not null && old.EndReason is null) old.Close($"replaced by a newer page for slot {Index}");
    }

    /// <summary>
    /// A fresh connection (one nobody ran a session on), waiting up to <paramref name="timeout"/>; recovers the page
    /// when it does not come back by itself. Throws <see cref="TimeoutException"/> naming the URL when none comes.
    /// </summary>
    internal PageConnection Acquire(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        bool reopened = false;
        bool told = false;
        while (true)
        {
            lock (gate)
            {
                if (released) throw new ObjectDisposedException($"web page slot {Index}");
                if (current is { EndReason: null, Claimed: false } fresh)
                {
                    fresh.Claimed = true;
                    return fresh;
                }
            }
            if (clock.Elapsed >= timeout)
                throw new TimeoutException($"web: no page connected for slot {Index} within {timeout.TotalSeconds:0.#} s; open {Url} in a browser{(host.Browser is null ? "" : " (the launched browser did not load it)")}.");
            if (host.Launches)
            {
                if (host.RelaunchIfDead()) Recoveries++;
                // A tab that never connected yet is still loading (a cold browser on a busy machine takes seconds): it
                // gets half the timeout before it is replaced; a page that was here gets the reload grace.
                else if (!reopened && clock.Elapsed >= (Connections > 0 ? ReloadGrace : timeout / 2))
                {
                    // Still nothing: the tab was closed, or its page hangs or crashed. Replace it.
                    reopened = true;
                    host.ReopenTab(this);
                    Recoveries++;
                }
            }
            else if (!told)
            {
                told = true;
                Console.Error.WriteLine($"web: waiting for a browser to open {Url}");
            }
            lock (gate) Monitor.Wait(gate, 100);
        }
    }

    /// <summary>Gives the slot back: its page is told to close and its tab is closed.</summary>
    public void Dispose()
    {
        PageConnection? last;
        lock (gate)
        {
            if (released) return;
            released = true;
            last = current;
            current = null;
            Monitor.PulseAll(gate);
        }
        last?.Close("the env was closed");
        host.Release(this);
    }
}
