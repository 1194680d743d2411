using System.Diagnostics;

namespace RlPlat.Experiments.Cli;

/// <summary><c>rlplat bench</c>: runs the benchmark scripts (<c>benchmarks/&lt;area&gt;.sh</c>) that compare us with peers.</summary>
internal sealed class BenchCommand : Command
{
    /// <summary>Suites and the script names each may have, first found wins.</summary>
    internal static readonly (string Suite, string[] Scripts)[] Suites =
    [
        ("engine", ["engine.sh"]),
        ("envs", ["envs.sh", "environments.sh"]),
        ("agents", ["agents.sh"]),
    ];

    public override string Name => "bench";
    public override string Summary => "Run the side-by-side benchmarks (engine, envs, agents; default: all) from the repository's benchmarks/ folder.";
    public override string Usage => "bench [engine|envs|agents]";
    public override IReadOnlyList<OptionSpec> Options { get; } = [];
    public override string Details => """
        Each suite is a script, benchmarks/<area>.sh, that builds in Release, installs its Python peer and prints a table with ratios.
        Exit codes: 0 every suite passed, 1 a suite's script failed, 2 unknown suite, 4 a suite's script is not in this checkout.
        """;

    /// <summary>The folder holding rlplat.sln (searched upward from the working folder, then from the executable's folder).</summary>
    internal static string? RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "rlplat.sln"))) return dir.FullName;
        return null;
    }

    public override int Execute(ParsedArgs args, CommandIO io, CancellationToken cancel)
    {
        ExpectPositionals(args, 0, 1);
        var wanted = args.Positionals.Count == 1 ? args.Positionals[0] : null;
        var names = Suites.Select(s => s.Suite).ToList();
        if (wanted is not null && !names.Contains(wanted))
            throw new UsageException($"bench: unknown suite '{wanted}'; expected one of {string.Join(", ", names)}{Config.DidYouMean.Hint(wanted, names)}");
        var root = RepoRoot();
        if (root is null)
        {
            io.Error.WriteLine("rlplat bench: the benchmarks live in the rlplat repository; run from inside a checkout (no rlplat.sln found above here)");
            return ExitCodes.Unavailable;
        }

        var scripts = new List<(string Suite, string Path)>();
        foreach (var (suite, candidates) in Suites)
        {
            if (wanted is not null && suite != wanted) continue;
            var found = candidates.Select(c => Path.Combine(root, "benchmarks", c)).FirstOrDefault(File.Exists);
            if (found is null)
            {
                io.Error.WriteLine($"rlplat bench: suite '{suite}' has no script in this checkout (looked for {string.Join(" or ", candidates.Select(c => "benchmarks/" + c))})");
                return ExitCodes.Unavailable;
            }
            scripts.Add((suite, found));
        }

        int failed = 0;
        foreach (var (suite, script) in scripts)
        {
            io.Out.WriteLine($"rlplat bench: {suite}: bash {Path.GetRelativePath(root, script)}");
            io.Out.Flush();
            using var process = Process.Start(new ProcessStartInfo("bash", [script]) { WorkingDirectory = root, UseShellExecute = false })!;
            using var kill = cancel.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
            process.WaitForExit();
            if (cancel.IsCancellationRequested) return ExitCodes.Interrupted;
            if (process.ExitCode != 0)
            {
                io.Error.WriteLine($"rlplat bench: {suite} failed (exit {process.ExitCode})");
                failed++;
            }
        }
        return failed == 0 ? ExitCodes.Success : ExitCodes.RunsFailed;
    }
}
