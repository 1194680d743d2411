using System.Diagnostics;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text.Json;
using RlPlat.Connectors.Remote;
using RlPlat.Connectors.Streams;
using RlPlat.Environments;

namespace RlPlat.Connectors.Benchmarks;

/// <summary>
/// Remote stepping (CartPole-v1 over loopback TCP and WebSocket: steps/s and latency percentiles, 1 and 8 clients)
/// and stream adapters (events/s), side by side with the Python implementation of the same protocol.
/// Usage: RlPlat.Connectors.Benchmarks [--seconds 2] [--no-python]
/// </summary>
public static class Program
{
    private sealed record Result(string Name, double StepsPerSecond, double P50 = double.NaN, double P95 = double.NaN, double P99 = double.NaN);

    public static int Main(string[] args)
    {
        double seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(2.0);
        bool python = !args.Contains("--no-python");
        Console.WriteLine($"rlplat connectors benchmark: CartPole-v1, {seconds} s per measurement, {Environment.ProcessorCount} cores");

        var results = new List<(Result Ours, Result? Peer)>();
        var inProcess = InProcess(seconds);
        results.Add((inProcess, null));
        using (var server = new RemoteEnvServer().Start())
        {
            foreach (int clients in new[] { 1, 8 })
            {
                var ours = Remote($"tcp, {clients} client{(clients > 1 ? "s" : "")} (C# client -> C# server)", clients, seconds,
                    () => RemoteEnv.Connect<float[], int>("127.0.0.1", server.Port, "CartPole-v1"));
                var peer = python ? Python($"py-server {clients} {Fmt(seconds)}") : null;
                results.Add((ours, peer is null ? null : peer with { Name = "python client -> python server" }));
            }
            if (python && Python($"cs-server {server.Port} 1 {Fmt(seconds)}") is { } mixed)
                results.Add((mixed with { Name = "tcp, 1 client (python client -> C# server)" }, null));
        }
        using (var ws = new WebSocketEnvServer().Start())
            results.Add((Remote("websocket, 1 client (C# -> C#)", 1, seconds, () => RemoteEnv.ConnectWebSocket<float[], int>(ws.Uri, "CartPole-v1")), null));
        results.Add((AgentPacedStream(seconds), null));
        results.Add((ClockedStream(seconds), null));
        results.Add((Buffer(seconds), null));

        Console.WriteLine();
        Console.WriteLine($"{"measurement",-52} {"steps/s",12} {"p50 us",9} {"p95 us",9} {"p99 us",9} | {"peer",-32} {"steps/s",10} {"p50 us",9} {"ratio",7}");
        foreach (var (o, p) in results)
        {
            string peer = p is null ? "" : $"{p.Name,-32} {p.StepsPerSecond,10:N0} {p.P50,9:F1} {o.StepsPerSecond / p.StepsPerSecond,6:F1}x";
            Console.WriteLine($"{o.Name,-52} {o.StepsPerSecond,12:N0} {Us(o.P50)} {Us(o.P95)} {Us(o.P99)} | {peer}");
        }
        Console.WriteLine();
        Console.WriteLine($"remote overhead vs in-process stepping (1 client): {inProcess.StepsPerSecond / results[1].Ours.StepsPerSecond:F0}x slower per step; ratio column: ours / peer throughput (higher is better)");
        return 0;
    }

    private static string Fmt(double x) => x.ToString(CultureInfo.InvariantCulture);

    private static string Us(double x) => double.IsNaN(x) ? $"{"-",9}" : $"{x,9:F1}";

    private static Result InProcess(double seconds)
    {
        using var env = Gym.Make<float[], int>("CartPole-v1");
        env.Reset(0);
        long steps = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (int k = 0; k < 1000; k++)
            {
                if (env.Step((int)(steps & 1)).Done) env.Reset();
                steps++;
            }
        }
        return new Result("in-process CartPole-v1 (no transport, reference)", steps / sw.Elapsed.TotalSeconds);
    }

    private static Result Remote(string name, int clients, double seconds, Func<IEnv<float[], int>> connect)
    {
        var latencies = new List<long>[clients];
        var ready = new Barrier(clients + 1);
        var threads = new Thread[clients];
        long stopAt = 0;
        for (int c = 0; c < clients; c++)
        {
            int id = c;
            threads[c] = new Thread(() =>
            {
                using var env = connect();
                env.Reset(id);
                for (int w = 0; w < 200; w++) if (env.Step(w & 1).Done) env.Reset(); // warm up the JIT and the socket
                var lat = new List<long>(1 << 16);
                ready.SignalAndWait();
                long i = 0;
                while (true)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    if (t0 >= Volatile.Read(ref stopAt)) break;
                    bool done = env.Step((int)(i++ & 1)).Done;
                    lat.Add(Stopwatch.GetTimestamp() - t0);
                    if (done) env.Reset();
                }
                latencies[id] = lat;
            }) { IsBackground = true };
            threads[c].Start();
        }
        Volatile.Write(ref stopAt, long.MaxValue);
        ready.SignalAndWait();
        Volatile.Write(ref stopAt, Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency));
        foreach (var t in threads) t.Join();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double us(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1e6 / Stopwatch.Frequency;
        return new Result(name, all.Length / seconds, us(0.50), us(0.95), us(0.99));
    }

    private static Result AgentPacedStream(double seconds)
    {
        using var env = Gym.Make<float[], int>("CartPole-v1");
        var actions = new Subject<int>();
        long events = 0;
        using var _ = EnvStream.AgentPaced(env, actions, ImmediateScheduler.Instance, seed: 0).Subscribe(_ => events++);
        var sw = Stopwatch.StartNew();
        int i = 0;
        while (sw.Elapsed.TotalSeconds < seconds) for (int k = 0; k < 1000; k++) actions.OnNext(i++ & 1);
        return new Result("stream: agent-paced env -> IObservable (events/s)", events / sw.Elapsed.TotalSeconds);
    }

    private static Result ClockedStream(double seconds)
    {
        using var env = Gym.Make<float[], int>("CartPole-v1");
        var clock = new HistoricalScheduler();
        long events = 0;
        var stream = EnvStream.Clocked(env, TimeSpan.FromMilliseconds(1), clock, 0, seed: 0);
        using var _ = stream.Subscribe(_ => events++);
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds) clock.AdvanceBy(TimeSpan.FromSeconds(10));
        return new Result("stream: clocked env, virtual time (events/s)", events / sw.Elapsed.TotalSeconds);
    }

    private static Result Buffer(double seconds)
    {
        using var buffer = new BackpressureBuffer<long>(BackpressurePolicy.DropOldest, 1024);
        long taken = 0;
        var stop = false;
        var consumer = new Thread(() => { while (!Volatile.Read(ref stop)) while (buffer.TryTake(out _)) taken++; });
        consumer.Start();
        var sw = Stopwatch.StartNew();
        long produced = 0;
        while (sw.Elapsed.TotalSeconds < seconds) for (int k = 0; k < 1000; k++) buffer.OnNext(produced++);
        Volatile.Write(ref stop, true);
        consumer.Join();
        var c = buffer.Counters;
        return new Result($"backpressure buffer, 2 threads (offered/s; {100.0 * c.Dropped / c.Received:F0}% dropped)", produced / sw.Elapsed.TotalSeconds);
    }

    private static Result? Python(string arguments)
    {
        string script = FindUp(Path.Combine("benchmarks", "peers", "connectors_peer.py"));
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (var a in arguments.Split(' ')) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) { Console.Error.WriteLine($"python peer failed ({arguments}): {error}"); return null; }
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var r = json.RootElement;
        return new Result("python", r.GetProperty("steps_per_s").GetDouble(), r.GetProperty("p50_us").GetDouble(), r.GetProperty("p95_us").GetDouble(), r.GetProperty("p99_us").GetDouble());
    }

    private static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
