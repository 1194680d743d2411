using RlPlat.Experiments.Cli;
using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Tests.Running;

/// <summary>Shared set-up for tests that run `rlplat` in-process: a temp folder per test and run targets registered for it.</summary>
public abstract class RunnerTestBase
{
    /// <summary>This test's temp folder.</summary>
    protected string dir = "";

    /// <summary>Prefix of the temp folder's name.</summary>
    protected abstract string FolderPrefix { get; }

    /// <summary>Registers the run targets the test needs (unregistered after each test).</summary>
    protected abstract void RegisterTargets();

    [SetUp]
    public void CreateFolderAndRegisterTargets()
    {
        dir = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        RegisterTargets();
    }

    [TearDown]
    public void UnregisterTargetsAndDeleteFolder()
    {
        foreach (var a in RunTargets.Registered.ToArray()) RunTargets.Unregister(a);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>Runs the `rlplat` command line in-process; returns its exit code, stdout and stderr.</summary>
    protected static (int Code, string Out, string Err) Rlplat(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        int code = CommandLineApp.Run(args, new CommandIO(o, e, Interactive: false), CancellationToken.None);
        return (code, o.ToString(), e.ToString());
    }
}
