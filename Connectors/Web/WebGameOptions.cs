using RlPlat.Connectors.Plugins;
using RlPlat.Connectors.Streams;

namespace RlPlat.Connectors.Web;

/// <summary>How the page keeps time.</summary>
public enum WebMode
{
    /// <summary>The page waits for each action and answers with one frame (deterministic; for training and tests).</summary>
    Lockstep,

    /// <summary>The page runs at its own frame rate and pushes every frame; the agent's newest action is applied.</summary>
    Live,
}

/// <summary>Options of the <c>web</c> connector and of <see cref="WebGameHost"/> (YAML keys in snake_case).</summary>
public sealed class WebGameOptions : IValidatableOptions
{
    /// <summary>Lockstep (the page waits for actions) or live (the page keeps its own time).</summary>
    public WebMode Mode { get; set; } = WebMode.Lockstep;

    /// <summary>The game the page must play (sent in create; the built-in page plays "Catch-web").</summary>
    public string EnvId { get; set; } = "Catch-web";

    /// <summary>Game settings sent to the page in create (built-in Catch: balls, observation = state or pixels).</summary>
    public IReadOnlyDictionary<string, object?>? Kwargs { get; set; }

    /// <summary>Live mode: the page's frames per second.</summary>
    public double Fps { get; set; } = 30;

    /// <summary>Seed of the first episode (later episodes continue the page's generator).</summary>
    public int? Seed { get; set; }

    /// <summary>Start headless Chromium and open a tab per env; false: wait for the user's own browser.</summary>
    public bool Launch { get; set; } = true;

    /// <summary>The browser executable (a name on PATH or a full path).</summary>
    public string Browser { get; set; } = "chromium";

    /// <summary>Run the launched browser without a window.</summary>
    public bool Headless { get; set; } = true;

    /// <summary>HTTP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Serve this folder's files (it needs an index.html) instead of the built-in Catch page.</summary>
    public string? PageDirectory { get; set; }

    /// <summary>Longest wait for the page's reply to a request (lockstep); a silent page is treated as hung.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for a page to connect (or reconnect after a reload, crash or closed tab).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the browser to start.</summary>
    public TimeSpan LaunchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest message accepted from a page.</summary>
    public int MaxFrameBytes { get; set; } = 4 << 20;

    /// <summary>Live mode: what happens to frames the agent has not taken yet when more arrive.</summary>
    public BackpressurePolicy Backpressure { get; set; } = BackpressurePolicy.DropOldest;

    /// <summary>Live mode: frames held for a slow agent (the oldest are dropped beyond it).</summary>
    public int Capacity { get; set; } = 64;

    /// <summary>Live mode as a step env: longest wait for the next frame after an action.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Pages lost in a row, with no step in between, before giving up with an error (a page that always fails).</summary>
    public int MaxFailures { get; set; } = 3;

    /// <inheritdoc/>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new ArgumentException($"mode must be lockstep or live, got {(int)Mode}.");
        if (!(Fps >= 1 && Fps <= 240)) throw new ArgumentException($"fps must be in [1, 240], got {Fps}.");
        if (Port is < 0 or > 65535) throw new ArgumentException($"port must be in [0, 65535], got {Port}.");
        if (string.IsNullOrWhiteSpace(Browser)) throw new ArgumentException("browser is empty.");
        if (PageDirectory is not null && !File.Exists(Path.Combine(PageDirectory, "index.html")))
            throw new ArgumentException($"page_directory '{PageDirectory}' has no index.html.");
        foreach (var (name, value) in new[] { ("request_timeout", RequestTimeout), ("connect_timeout", ConnectTimeout), ("launch_timeout", LaunchTimeout), ("step_timeout", StepTimeout) })
            if (value <= TimeSpan.Zero) throw new ArgumentException($"{name} must be positive, got {value}.");
        if (MaxFrameBytes < 64) throw new ArgumentException($"max_frame_bytes must be at least 64, got {MaxFrameBytes}.");
        if (Capacity < 1) throw new ArgumentException($"capacity must be at least 1, got {Capacity}.");
        if (Backpressure == BackpressurePolicy.Block) throw new ArgumentException("backpressure must be latest_only or drop_oldest: a live page cannot be made to wait.");
        if (MaxFailures < 1) throw new ArgumentException($"max_failures must be at least 1, got {MaxFailures}.");
        if (Kwargs is not null && (Kwargs.ContainsKey("mode") || Kwargs.ContainsKey("fps")))
            throw new ArgumentException("kwargs: give mode and fps as options of the connector, not as kwargs.");
    }

    /// <summary>The kwargs sent in create: the game's settings plus the mode (and frame rate when live).</summary>
    internal Dictionary<string, object?> CreateKwargs()
    {
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Kwargs is not null) foreach (var (k, v) in Kwargs) kwargs[k] = v;
        kwargs["mode"] = Mode == WebMode.Live ? "live" : "lockstep";
        if (Mode == WebMode.Live) kwargs["fps"] = Fps;
        return kwargs;
    }
}
