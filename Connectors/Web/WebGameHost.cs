using System.Net;
using System.Net.WebSockets;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RlPlat.Connectors.Protocol;

namespace RlPlat.Connectors.Web;

/// <summary>
/// Serves a web game and plays it: a Kestrel server on loopback serves the page (the built-in Catch game, or the
/// files of <see cref="WebGameOptions.PageDirectory"/>) at <c>http://127.0.0.1:port/</c> and accepts the pages'
/// WebSockets at <c>/game?slot=N</c>; with <see cref="WebGameOptions.Launch"/> it starts headless Chromium and opens
/// one tab per slot, otherwise it waits for the user's own browser. Each slot is one env or stream.
/// </summary>
public sealed class WebGameHost : IDisposable
{
    private static readonly Dictionary<string, WebGameHost> Shared = new(StringComparer.Ordinal);
    private static readonly Lock SharedGate = new();

    private readonly WebGameOptions options;
    private readonly Dictionary<string, (byte[] Bytes, string Type)> assets;
    private readonly Dictionary<int, PageSlot> slots = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private readonly string? sharedKey;
    private WebApplication? app;
    private int nextSlot;
    private bool disposed;

    private WebGameHost(WebGameOptions options, string? sharedKey)
    {
        this.options = options;
        this.sharedKey = sharedKey;
        assets = LoadAssets(options.PageDirectory);
    }

    /// <summary>Starts a host of its own (disposing it stops the server and the browser).</summary>
    public static WebGameHost Start(WebGameOptions? options = null)
    {
        options ??= new WebGameOptions();
        options.Validate();
        var host = new WebGameHost(options, null);
        host.Listen();
        return host;
    }

    /// <summary>
    /// A slot on the host shared by every connector with the same server and browser settings, so n envs are n tabs
    /// of one browser; the host stops when its last slot is disposed.
    /// </summary>
    public static PageSlot OpenSharedSlot(WebGameOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string key = $"{options.Port}|{options.Launch}|{options.Browser}|{options.Headless}|{options.PageDirectory}";
        lock (SharedGate)
        {
            if (!Shared.TryGetValue(key, out var host))
            {
                host = new WebGameHost(options, key);
                host.Listen();
                Shared[key] = host;
            }
            try { return host.OpenSlot(); }
            catch
            {
                if (host.SlotCount == 0) { Shared.Remove(key); host.Dispose(); }
                throw;
            }
        }
    }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The game page's address (any free slot).</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>The launched browser, or null when waiting for the user's own (or before the first slot).</summary>
    public ChromiumBrowser? Browser { get; private set; }

    /// <summary>Times the browser was started again after it died.</summary>
    public int Relaunches { get; private set; }

    internal bool Launches => options.Launch;

    internal int SlotCount
    {
        get { lock (gate) return slots.Count; }
    }

    /// <summary>The page's address for one slot.</summary>
    public Uri SlotUrl(int slot) => new($"http://127.0.0.1:{Port}/?slot={slot}");

    private void Listen()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.Map("/game", ServeGameAsync);
        app.MapGet("/", context => ServeAsset(context, "index.html"));
        app.MapGet("/{file}", context => ServeAsset(context, (string)context.Request.RouteValues["file"]!));
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
    }

    private async Task ServeAsset(HttpContext context, string name)
    {
        if (!assets.TryGetValue(name, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = asset.Type;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(asset.Bytes, stopping.Token).ConfigureAwait(false);
    }

    private async Task ServeGameAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("rlplat web game: the page connects here with a WebSocket\n").ConfigureAwait(false);
            return;
        }
        string? asked = context.Request.Query["slot"];
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var browser = Browser;
        var slot = FindSlot(asked, out var refusal);
        var connection = new PageConnection(socket, slot?.Index ?? -1, options.MaxFrameBytes, wait => CrashCause(browser, wait));
        if (slot is null)
        {
            await connection.RejectAsync(ErrorCode.ResourceExhausted, refusal!).ConfigureAwait(false);
            return;
        }
        var run = connection.RunAsync(stopping.Token);
        slot.Attach(connection);
        await Task.WhenAny(run, connection.Ended).ConfigureAwait(false);
        // Give the closing handshake a moment; then Kestrel drops the socket.
        if (!run.IsCompleted) await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
    }

    private PageSlot? FindSlot(string? asked, out string? refusal)
    {
        lock (gate)
        {
            refusal = null;
            if (asked is not null)
            {
                if (int.TryParse(asked, out var index) && slots.TryGetValue(index, out var slot)) return slot;
                refusal = $"slot '{WireDTypes.Truncate(asked)}' is not open (open slots: {string.Join(", ", slots.Keys)})";
                return null;
            }
            foreach (var slot in slots.Values)
                if (slot.IsWaiting) return slot;
            refusal = $"no slot is waiting for a page ({slots.Count} open, all playing)";
            return null;
        }
    }

    private static string? CrashCause(ChromiumBrowser? browser, TimeSpan wait) =>
        browser is not null && browser.WaitForExit(wait) ? $"the browser died ({browser.ExitDescription})" : null;

    /// <summary>Opens a slot: with a launched browser, a new tab plays in it.</summary>
    public PageSlot OpenSlot()
    {
        PageSlot slot;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            slot = new PageSlot(this, nextSlot++);
            slots.Add(slot.Index, slot);
        }
        if (!options.Launch) return slot;
        try
        {
            lock (gate) Browser ??= ChromiumBrowser.Launch(options.Browser, options.Headless, options.LaunchTimeout);
            slot.TabId = Browser.OpenTab(slot.Url);
        }
        catch
        {
            lock (gate) slots.Remove(slot.Index);
            throw;
        }
        return slot;
    }

    /// <summary>When the launched browser has died: starts a new one with a tab for every open slot. True when it did.</summary>
    internal bool RelaunchIfDead()
    {
        lock (gate)
        {
            if (disposed || Browser is not { HasExited: true } dead) return false;
            dead.Dispose();
            Browser = null;
            Browser = ChromiumBrowser.Launch(options.Browser, options.Headless, options.LaunchTimeout);
            Relaunches++;
            foreach (var slot in slots.Values) slot.TabId = Browser.OpenTab(slot.Url);
            return true;
        }
    }

    /// <summary>Replaces a slot's tab (closed, hung, or crashed) with a new one.</summary>
    internal void ReopenTab(PageSlot slot)
    {
        lock (gate)
        {
            if (disposed || Browser is not { HasExited: false } browser) return;
            if (slot.TabId is { } old) browser.CloseTab(old);
            slot.TabId = browser.OpenTab(slot.Url);
        }
    }

    internal void Release(PageSlot slot)
    {
        bool last;
        lock (gate)
        {
            slots.Remove(slot.Index);
            if (slot.TabId is { } tab && Browser is { HasExited: false } browser) browser.CloseTab(tab);
            last = slots.Count == 0;
        }
        if (!last || sharedKey is null) return;
        lock (SharedGate)
        {
            // Another connector may have opened a slot on this host meanwhile; stop it only if still unused.
            if (SlotCount > 0 || !Shared.TryGetValue(sharedKey, out var host) || host != this) return;
            Shared.Remove(sharedKey);
        }
        Dispose();
    }

    private static Dictionary<string, (byte[], string)> LoadAssets(string? directory)
    {
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        if (directory is not null)
        {
            foreach (var file in Directory.EnumerateFiles(directory))
                assets[Path.GetFileName(file)] = (File.ReadAllBytes(file), ContentType(file));
            if (!assets.ContainsKey("index.html")) throw new ArgumentException($"web: page_directory '{directory}' has no index.html.");
            return assets;
        }
        const string prefix = "rlplat.web.";
        var assembly = typeof(WebGameHost).Assembly;
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[name[prefix.Length..]] = (copy.ToArray(), ContentType(name));
        }
        return assets;
    }

    private static string ContentType(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".json" => "application/json",
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    /// <summary>Stops the browser and the server; every page's connection ends.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            slots.Clear();
        }
        stopping.Cancel();
        Browser?.Dispose();
        if (app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            app.StopAsync(timeout.Token).GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        stopping.Dispose();
    }
}
