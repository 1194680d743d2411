using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;

namespace RlPlat.Connectors.Web;

/// <summary>
/// A Chromium process started for rlplat: headless by default, with its own temporary profile, no first-run UI and
/// nothing that needs the network. Tabs are opened and closed through the DevTools HTTP endpoint on loopback
/// (<c>--remote-debugging-port=0</c>; the chosen port is read from the profile's DevToolsActivePort file).
/// </summary>
public sealed class ChromiumBrowser : IDisposable
{
    private static readonly string[] Candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
    private readonly Process process;
    private readonly HttpClient devtools;
    private readonly string profile;
    private bool disposed;

    private ChromiumBrowser(Process process, string profile, int devtoolsPort)
    {
        this.process = process;
        this.profile = profile;
        DevToolsPort = devtoolsPort;
        devtools = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{devtoolsPort}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The executable found on PATH (chromium, chromium-browser, google-chrome), or null when there is none.</summary>
    public static string? Find(string? preferred = null)
    {
        if (!string.IsNullOrWhiteSpace(preferred))
            return Path.IsPathRooted(preferred) ? (File.Exists(preferred) ? preferred : null) : OnPath(preferred);
        foreach (var name in Candidates)
            if (OnPath(name) is { } found) return found;
        return null;
    }

    private static string? OnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The process id of the browser.</summary>
    public int ProcessId => process.Id;

    /// <summary>The DevTools port on 127.0.0.1.</summary>
    public int DevToolsPort { get; }

    /// <summary>True once the browser process has ended (crashed, killed, or closed).</summary>
    public bool HasExited
    {
        get
        {
            try { return process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    /// <summary>Why the process ended, for episode-end reasons ("killed by signal 9", "exit code 1").</summary>
    public string ExitDescription
    {
        get
        {
            if (!HasExited) return "running";
            int code = process.ExitCode;
            // .NET reports a death by signal N as 128 + N on Unix.
            return code > 128 && code < 160 ? $"killed by signal {code - 128}" : $"exit code {code}";
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end; true when it has.</summary>
    public bool WaitForExit(TimeSpan timeout) => HasExited || process.WaitForExit(timeout);

    /// <summary>Starts the browser with a fresh temporary profile and waits until its DevTools endpoint answers.</summary>
    public static ChromiumBrowser Launch(string executable, bool headless, TimeSpan timeout)
    {
        if (Find(executable) is not { } path)
            throw new InvalidOperationException($"ChromiumBrowser: '{executable}' was not found on PATH ({Environment.GetEnvironmentVariable("PATH")}); install it (apt-get install -y chromium) or set the connector's browser option.");
        var profile = Directory.CreateTempSubdirectory("rlplat-chromium-").FullName;
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (headless) info.ArgumentList.Add("--headless=new");
        foreach (var arg in new[]
        {
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", $"--user-data-dir={profile}",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            // Nothing reaches out to the network, and tabs in the background keep their full frame rate.
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
            "--mute-audio", "about:blank",
        }) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"ChromiumBrowser: could not start {path}.");
        // Drain its console output so a chatty browser never blocks on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                TryDelete(profile);
                throw new InvalidOperationException($"ChromiumBrowser: {path} exited at start with code {process.ExitCode}.");
            }
            if (TryReadPort(portFile) is { } port) return new ChromiumBrowser(process, profile, port);
            Thread.Sleep(50);
        }
        Kill(process);
        TryDelete(profile);
        throw new TimeoutException($"ChromiumBrowser: {path} did not open its DevTools endpoint within {timeout.TotalSeconds:0.#} s.");
    }

    private static int? TryReadPort(string file)
    {
        try
        {
            var lines = File.ReadAllLines(file);
            return lines.Length >= 2 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
        }
        catch (IOException) { return null; }
    }

    /// <summary>Opens a tab on <paramref name="url"/>; returns its DevTools target id.</summary>
    public string OpenTab(Uri url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "json/new?" + url.AbsoluteUri);
        using var response = devtools.Send(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(response.Content.ReadAsStream());
        return json.RootElement.GetProperty("id").GetString() ?? throw new InvalidOperationException("ChromiumBrowser: DevTools returned a tab without an id.");
    }

    /// <summary>Closes a tab; false when it was already gone.</summary>
    public bool CloseTab(string id)
    {
        try
        {
            using var response = devtools.Send(new HttpRequestMessage(HttpMethod.Get, "json/close/" + Uri.EscapeDataString(id)));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; }
    }

    /// <summary>The ids of the open page tabs.</summary>
    public IReadOnlyList<string> TabIds()
    {
        using var response = devtools.Send(new HttpRequestMessage(HttpMethod.Get, "json/list"));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(response.Content.ReadAsStream());
        var ids = new List<string>();
        foreach (var target in json.RootElement.EnumerateArray())
            if (target.GetProperty("type").GetString() == "page") ids.Add(target.GetProperty("id").GetString()!);
        return ids;
    }

    /// <summary>Kills the browser and its child processes at once (what a crash looks like to the pages' sockets).</summary>
    public void Kill() => Kill(process);

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { /* already gone */ }
    }

    private static void TryDelete(string dir)
    {
        // The browser's helpers may still be writing for a moment after it died; the profile is temporary either way.
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try { Directory.Delete(dir, recursive: true); return; }
            catch (DirectoryNotFoundException) { return; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Thread.Sleep(100); }
        }
    }

    /// <summary>Kills the browser and deletes its temporary profile.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Kill(process);
        WaitForExit(TimeSpan.FromSeconds(5));
        process.Dispose();
        devtools.Dispose();
        TryDelete(profile);
    }
}
