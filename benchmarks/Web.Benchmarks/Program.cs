using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RlPlat.Connectors.Streams;
using RlPlat.Connectors.Web;
using RlPlat.Environments;

namespace RlPlat.Web.Benchmarks;

/// <summary>
/// The browser Catch game played through the web connector: lockstep steps/s and latency (1 tab, and N tabs stepped
/// in parallel), live frames delivered per second, and a random agent's return; side by side with the usual Python
/// way of driving a page, Selenium WebDriver calling the same game.js in the same Chromium.
/// Usage: RlPlat.Web.Benchmarks [--seconds 3] [--tabs 4] [--no-python]
/// </summary>
public static class Program
{
    private sealed record Result(string Name, double PerSecond, double P50 = double.NaN, double P95 = double.NaN, double P99 = double.NaN);

    public static int Main(string[] args)
    {
        double seconds = Arg(args, "--seconds", 3.0);
        int tabs = (int)Arg(args, "--tabs", 4);
        bool python = !args.Contains("--no-python");
        if (ChromiumBrowser.Find() is not { } chromium)
        {
            Console.Error.WriteLine("web benchmark: chromium is not installed (apt-get install -y chromium).");
            return 2;
        }
        Console.WriteLine($"rlplat web benchmark: Catch-web in headless {chromium}, {seconds} s per measurement, {Environment.ProcessorCount} cores");

        var options = new WebGameOptions { Kwargs = new Dictionary<string, object?> { ["balls"] = 10L } };
        Result one, many, live;
        double randomReturn, randomStd;
        using (var host = WebGameHost.Start(options))
        {
            var envs = new List<IEnv<float[], int>>();
            for (int i = 0; i < tabs; i++) envs.Add((IEnv<float[], int>)WebEnv.Open(host.OpenSlot(), options));
            one = Lockstep("lockstep, 1 tab (C# WebEnv -> page over WebSocket)", envs.Take(1).ToList(), seconds);
            many = Lockstep($"lockstep, {tabs} tabs, one thread each (total)", envs, seconds);
            (randomReturn, randomStd) = RandomAgent(envs[0], episodes: 20);
            foreach (var env in envs) env.Close();
            live = Live(host, seconds);
        }
        var peer = python ? Selenium(chromium, seconds) : null;

        Console.WriteLine();
        Console.WriteLine($"{"measurement",-52} {"steps/s",10} {"p50 us",9} {"p95 us",9} {"p99 us",9} | {"peer",-40} {"steps/s",10} {"p50 us",9} {"ratio",7}");
        Row(one, peer);
        Row(many, null);
        Row(live, null);
        Console.WriteLine();
        Console.WriteLine($"random agent on Catch-web (10 balls, 20 episodes, seed 0): return {randomReturn:F2} +- {randomStd:F2} (range -10..10)");
        Console.WriteLine("ratio: ours / peer throughput (higher is better); the peer steps the same game.js in the same browser through WebDriver.");
        return 0;
    }

    private static double Arg(string[] args, string name, double fallback) =>
        args.SkipWhile(a => a != name).Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);

    private static void Row(Result o, Result? p)
    {
        string peer = p is null ? "" : $"{p.Name,-40} {p.PerSecond,10:N0} {Us(p.P50)} {o.PerSecond / p.PerSecond,6:F1}x";
        Console.WriteLine($"{o.Name,-52} {o.PerSecond,10:N0} {Us(o.P50)} {Us(o.P95)} {Us(o.P99)} | {peer}");
    }

    private static string Us(double x) => double.IsNaN(x) ? $"{"-",9}" : $"{x,9:F1}";

    private static Result Lockstep(string name, List<IEnv<float[], int>> envs, double seconds)
    {
        var latencies = new List<long>[envs.Count];
        var ready = new Barrier(envs.Count + 1);
        long stopAt = long.MaxValue;
        var threads = envs.Select((env, id) =>
        {
            var t = new Thread(() =>
            {
                env.Reset(id);
                for (int w = 0; w < 300; w++) if (env.Step(w % 3).Done) env.Reset(); // warm up the JIT, the socket and the page
                var lat = new List<long>(1 << 16);
                ready.SignalAndWait();
                for (long i = 0; ; i++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    if (t0 >= Volatile.Read(ref stopAt)) break;
                    bool done = env.Step((int)(i % 3)).Done;
                    lat.Add(Stopwatch.GetTimestamp() - t0);
                    if (done) env.Reset();
                }
                latencies[id] = lat;
            }) { IsBackground = true };
            t.Start();
            return t;
        }).ToList();
        ready.SignalAndWait();
        Volatile.Write(ref stopAt, Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency));
        foreach (var t in threads) t.Join();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Quantile(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1e6 / Stopwatch.Frequency;
        return new Result(name, all.Length / seconds, Quantile(0.50), Quantile(0.95), Quantile(0.99));
    }

    private static (double Mean, double Std) RandomAgent(IEnv<float[], int> env, int episodes)
    {
        var random = new Random(0);
        var returns = new double[episodes];
        env.Reset(0);
        for (int e = 0; e < episodes; e++)
        {
            if (e > 0) env.Reset();
            StepResult<float[]> r;
            do { r = env.Step(random.Next(3)); returns[e] += r.Reward; } while (!r.Done);
        }
        double mean = returns.Average();
        return (mean, Math.Sqrt(returns.Select(x => (x - mean) * (x - mean)).Average()));
    }

    private static Result Live(WebGameHost host, double seconds)
    {
        var options = new WebGameOptions { Mode = WebMode.Live, Fps = 120, Seed = 0 };
        using var game = LiveGame.Open(host.OpenSlot(), options);
        var arrivals = new List<long>(1 << 14);
        using (game.Subscribe(_ => { lock (arrivals) arrivals.Add(Stopwatch.GetTimestamp()); }))
            Thread.Sleep(TimeSpan.FromSeconds(seconds + 0.5));
        long[] times;
        lock (arrivals) times = [.. arrivals];
        // Skip the first half second (page start), then measure frame rate and the spread of frame intervals.
        var measured = times.Where(t => t - times[0] > Stopwatch.Frequency / 2).ToArray();
        var gaps = measured.Zip(measured.Skip(1), (a, b) => (b - a) * 1e6 / Stopwatch.Frequency).Order().ToArray();
        double Quantile(double q) => gaps[Math.Min(gaps.Length - 1, (int)(q * gaps.Length))];
        return new Result("live, page at 120 fps: frames/s (frame interval us)", measured.Length / ((measured[^1] - measured[0]) / (double)Stopwatch.Frequency),
            Quantile(0.5), Quantile(0.95), Quantile(0.99));
    }

    private static Result? Selenium(string chromium, double seconds)
    {
        string script = FindUp(Path.Combine("benchmarks", "peers", "web_selenium_peer.py"));
        string game = FindUp(Path.Combine("Connectors", "Web", "page", "game.js"));
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, game, chromium, seconds.ToString(CultureInfo.InvariantCulture) }) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) { Console.Error.WriteLine($"selenium peer failed: {error}"); return null; }
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var r = json.RootElement;
        return new Result("python selenium execute_script, 1 tab", r.GetProperty("steps_per_s").GetDouble(), r.GetProperty("p50_us").GetDouble());
    }

    private static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
