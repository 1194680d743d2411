using System.Diagnostics;

namespace RlPlat.Connectors.Tests.Python;

/// <summary>Runs Connectors/python/rlplat_remote.py with /usr/bin/python3; fails clearly when python3 or its modules are missing.</summary>
internal static class PythonPeer
{
    private const string Python = "/usr/bin/python3";

    public static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "Connectors", "python", "rlplat_remote.py");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException($"Connectors/python/rlplat_remote.py not found above {AppContext.BaseDirectory}.");
        }
    }

    public static void RequireModules()
    {
        if (!File.Exists(Python)) Assert.Fail($"{Python} is missing: install python3 with python3-msgpack and python3-numpy (.ci/run does this).");
        using var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import msgpack, numpy"]) { RedirectStandardError = true })!;
        string err = probe.StandardError.ReadToEnd();
        probe.WaitForExit();
        if (probe.ExitCode != 0)
            Assert.Fail($"{Python} lacks msgpack or numpy: apt-get install -y python3-msgpack python3-numpy (.ci/run does this). {err.Trim()}");
    }

    public static Process Start(params string[] args)
    {
        RequireModules();
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    /// <summary>Reads a line of the child's output, failing with its stderr if it ends or stalls first.</summary>
    public static string ReadLine(Process process, TimeSpan timeout)
    {
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(timeout) || line.Result is null)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Assert.Fail($"python3 {Script} printed nothing within {timeout.TotalSeconds} s: {process.StandardError.ReadToEnd()}");
        }
        return line.Result!;
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(5000);
        process.Dispose();
    }
}
