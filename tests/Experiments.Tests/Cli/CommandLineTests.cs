using System.Text.Json;
using RlPlat.Environments;
using RlPlat.Experiments.Cli;
using RlPlat.Experiments.Output;
using RlPlat.Experiments.Running;
using RlPlat.Experiments.Tests.Running;

namespace RlPlat.Experiments.Tests.Cli;

[NonParallelizable]
public class CommandLineTests
{
    private string dir = "";

    private const string Yaml = """
        defaults:
          env: {id: CartPole-v1}
          training: {total_steps: 400, log_every_steps: 100}
          evaluation: {every_steps: 200, episodes: 2}
          checkpoints: {every_steps: 200, keep: 1}
        experiments:
          - name: alpha
            agent: {algorithm: ppo, hyperparameters: {n_steps: 64}}
            seeds: [0, 1]
          - name: beta
            agent: {algorithm: a2c}
        """;

    [SetUp]
    public void SetUp()
    {
        dir = Path.Combine(Path.GetTempPath(), "rlplat-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "exp.yaml"), Yaml);
    }

    [TearDown]
    public void TearDown()
    {
        RunTargets.Unregister("ppo");
        RunTargets.Unregister("a2c");
        RemoteEnvHosting.Start = null;
        RunEvaluation.Evaluate = null;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private static (int Code, string Out, string Err) Rlplat(CancellationToken cancel, params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        int code = CommandLineApp.Run(args, new CommandIO(o, e, Interactive: false), cancel);
        return (code, o.ToString(), e.ToString());
    }

    private static (int Code, string Out, string Err) Rlplat(params string[] args) => Rlplat(CancellationToken.None, args);

    private string P(params string[] parts) => Path.Combine([dir, .. parts]);

    private void RegisterCounting()
    {
        RunTargets.Register("ppo", _ => new CountingTarget());
        RunTargets.Register("a2c", _ => new CountingTarget());
    }

    [Test]
    public void HelpIsAvailableEverywhere()
    {
        var none = Rlplat();
        Assert.That((none.Code, none.Err), Is.EqualTo((2, CommandLineApp.GlobalHelp())));
        var help = Rlplat("--help");
        Assert.That(help.Code, Is.EqualTo(0));
        foreach (var c in new[] { "run", "list", "eval", "serve", "plot", "bench" })
        {
            Assert.That(help.Out, Does.Contain($"  {c} "));
            var sub = Rlplat(c, "--help");
            Assert.That(sub.Code, Is.EqualTo(0), c);
            Assert.That(sub.Out, Does.StartWith($"usage: rlplat {c}"), c);
            Assert.That(sub.Out, Does.Contain("--help"), c);
        }
    }

    [Test]
    public void UnknownCommandAndOptionSuggestTheClosest()
    {
        var cmd = Rlplat("lst");
        Assert.That(cmd.Code, Is.EqualTo(2));
        Assert.That(cmd.Err, Does.StartWith("rlplat: unknown command 'lst'; did you mean 'list'?"));
        var opt = Rlplat("run", P("exp.yaml"), "--seed", "1");
        Assert.That(opt.Code, Is.EqualTo(2));
        Assert.That(opt.Err.Trim(), Is.EqualTo("rlplat run: unknown option '--seed'; did you mean '--seeds'?; see 'rlplat run --help'"));
        Assert.That(Rlplat("run", "--steps").Err.Trim(), Is.EqualTo("rlplat run: --steps needs a value (N)"));
        Assert.That(Rlplat("run", P("exp.yaml"), "--steps", "ten").Err.Trim(), Is.EqualTo("rlplat run: --steps expects an integer, got 'ten'"));
        Assert.That(Rlplat("run", P("exp.yaml"), "--seeds", "0,x").Err, Does.Contain("got 'x' in '0,x'"));
        Assert.That(Rlplat("run", P("exp.yaml"), "--device", "tpu").Code, Is.EqualTo(2));
        Assert.That(Rlplat("list", "a.yaml", "b.yaml").Err, Does.Contain("unexpected argument 'b.yaml'"));
    }

    [Test]
    public void CudaWithoutAGpuIsOneLineAndNothingRuns()
    {
        RunTargets.Register("ppo", _ => new CountingTarget());
        RunTargets.Register("a2c", _ => new CountingTarget());
        var (code, _, err) = Rlplat("run", P("exp.yaml"), "--device", "cuda", "--out", P("runs"));
        Assert.That(code, Is.EqualTo(ExitCodes.Unavailable));
        // Two experiments on cuda give one line: the device is checked once.
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(err, Does.StartWith("rlplat run: --device cuda: ").And.Contain("use --device cpu"));
        Assert.That(Directory.Exists(P("runs")), Is.False);
        Assert.That(Devices.WhyUnavailable("cpu"), Is.Null);

        // Once the GPU backend answers that CUDA works, cuda runs go ahead.
        Devices.CudaProbe = () => null;
        try { Assert.That(Rlplat("run", P("exp.yaml"), "--device", "cuda", "--out", P("runs"), "--steps", "10").Code, Is.EqualTo(0)); }
        finally { Devices.CudaProbe = null; }
        Assert.That(File.ReadAllText(P("runs", "alpha", "0", "config.yaml")), Does.Contain("device: cuda"));
    }

    [Test]
    public void ListChecksTheFile()
    {
        RunTargets.Register("ppo", _ => new CountingTarget());
        var ok = Rlplat("list", P("exp.yaml"));
        Assert.That(ok.Code, Is.EqualTo(0));
        Assert.That(ok.Out, Does.Contain("alpha  ppo    CartPole-v1      1       400    cpu     0,1    yes"));
        Assert.That(ok.Out, Does.Contain("beta   a2c    CartPole-v1      1       400    cpu     0      no"));
        Assert.That(ok.Out, Does.EndWith($"{P("exp.yaml")}: 2 experiment(s), valid\n  not runnable in this build: beta: no run target is registered for algorithm 'a2c' (the agents layer registers one per algorithm; registered now: ppo)\n"));

        File.WriteAllText(P("bad.yaml"), "experiments:\n  - name: a\n    env: {id: CartPole-v1}\n    agent: {algorithm: ppo}\n    n_env: 2\n");
        var bad = Rlplat("list", P("bad.yaml"));
        Assert.That(bad.Code, Is.EqualTo(3));
        Assert.That(bad.Err, Does.StartWith($"{P("bad.yaml")}:5:5: experiments[0].n_env: unknown key 'n_env'; did you mean 'n_envs'?"));
        Assert.That(Rlplat("list", P("missing.yaml")).Code, Is.EqualTo(2));
    }

    [Test]
    public void RunRefusesToStartWhenAnAgentIsMissing()
    {
        RunTargets.Register("ppo", _ => new CountingTarget());
        var r = Rlplat("run", P("exp.yaml"), "--out", P("runs"));
        Assert.That(r.Code, Is.EqualTo(4));
        Assert.That(r.Err.Trim(), Is.EqualTo("rlplat run: beta: no run target is registered for algorithm 'a2c' (the agents layer registers one per algorithm; registered now: ppo)"));
        Assert.That(Directory.Exists(P("runs")), Is.False, "nothing ran");
    }

    [Test]
    public void RunEndToEndWithOverrides()
    {
        RegisterCounting();
        var r = Rlplat("run", P("exp.yaml"), "--only", "alpha", "--seeds", "3,4", "--steps", "300", "--out", P("runs"), "--parallel", "2");
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("1 experiment(s), 2 run(s), 2 at a time"));
        Assert.That(r.Out, Does.Contain("[alpha/3] completed: 300 steps"));
        Assert.That(r.Out, Does.Contain("alpha: completed (2/2 completed)"));
        Assert.That(Directory.Exists(P("runs", "beta")), Is.False);
        foreach (var seed in new[] { "3", "4" })
        {
            var cfg = RlPlat.Experiments.Config.ExperimentFile.LoadExperiment(P("runs", "alpha", seed, "config.yaml"));
            Assert.That((cfg.Training.TotalSteps, cfg.Seeds[0]), Is.EqualTo((300L, int.Parse(seed))));
            Assert.That(MetricsTable.Read(P("runs", "alpha", seed, "metrics.csv")).Steps[^1], Is.EqualTo(300));
        }
        Assert.That(File.ReadAllText(P("runs", "report.md")), Does.Contain("| alpha | ppo | CartPole-v1 | 2 | completed |"));

        var again = Rlplat("run", P("exp.yaml"), "--only", "alpha", "--seeds", "3,4", "--steps", "300", "--out", P("runs"), "--resume");
        Assert.That(again.Code, Is.EqualTo(0));
        Assert.That(again.Out, Does.Contain("[alpha/3] already completed; skipped (--resume)"));
    }

    [Test]
    public void RunExitCodeSaysSomeFailed()
    {
        RunTargets.Register("ppo", _ => new CountingTarget());
        RunTargets.Register("a2c", _ => new ThrowingTarget(5));
        var r = Rlplat("run", P("exp.yaml"), "--out", P("runs"));
        Assert.That(r.Code, Is.EqualTo(1));
        Assert.That(r.Err, Does.Contain("1 of 3 run(s) failed"));
        Assert.That(Json.ReadFile<RunSummary>(P("runs", "alpha", "1", "summary.json")).Status, Is.EqualTo("completed"));
    }

    [Test]
    public void RunOnlyWithUnknownNameSuggests()
    {
        RegisterCounting();
        var r = Rlplat("run", P("exp.yaml"), "--only", "alpah");
        Assert.That(r.Code, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("--only 'alpah' is not an experiment in the file; did you mean 'alpha'?"));
    }

    [Test]
    public void InterruptedRunExitsWith130()
    {
        RegisterCounting();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var r = Rlplat(cts.Token, "run", P("exp.yaml"), "--out", P("runs"));
        Assert.That(r.Code, Is.EqualTo(130));
        Assert.That(r.Err, Does.Contain("3 run(s) not started"));
    }

    [Test]
    public void ServeValidatesAndUsesTheServerHook()
    {
        Assert.That(Rlplat("serve", "CartPole-v1", "--port", "5000").Code, Is.EqualTo(4));
        Assert.That(Rlplat("serve", "not an id").Code, Is.EqualTo(2));
        Assert.That(Rlplat("serve", "CartPole-v1", "--port", "70000").Err, Does.Contain("--port 70000 is out of range [0, 65535]"));

        var stopped = new Stopper();
        (string Env, int Port)? asked = null;
        RemoteEnvHosting.Start = (env, port) => { asked = (env, port); return new ServedEnv(41234, stopped); };
        using var cts = new CancellationTokenSource();
        cts.Cancel();   // the server is stopped as soon as it started
        var r = Rlplat(cts.Token, "serve", "CartPole-v1", "--port", "0");
        Assert.That(r.Code, Is.EqualTo(0));
        Assert.That(asked, Is.EqualTo(("CartPole-v1", 0)));
        Assert.That(r.Out, Does.Contain("serving CartPole-v1 on 127.0.0.1:41234"));
        Assert.That(stopped.Disposed, Is.True);
    }

    [Test]
    public void EvalValidatesAndUsesTheEvaluatorHook()
    {
        RegisterCounting();
        Assert.That(Rlplat("run", P("exp.yaml"), "--only", "beta", "--out", P("runs")).Code, Is.EqualTo(0));
        var run = P("runs", "beta", "0");
        Assert.That(Rlplat("eval", P("nope")).Code, Is.EqualTo(2));
        Assert.That(Rlplat("eval", P("runs")).Err, Does.Contain("is not a run folder"));
        Assert.That(Rlplat("eval", run).Code, Is.EqualTo(4));
        Assert.That(Rlplat("eval", run, "--render", P("x.png")).Err, Does.Contain("must name a .gif file"));

        EvalRequest? asked = null;
        var frame = new RenderFrame(2, 3, [.. Enumerable.Repeat((byte)255, 18)]);
        RunEvaluation.Evaluate = (request, _) => { asked = request; return new EvalResult([10, 20, 30], [10, 20, 30], [frame, frame]); };
        var r = Rlplat("eval", run, "--episodes", "3", "--render", P("play.gif"));
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        Assert.That((asked!.Episodes, asked.Deterministic, asked.RecordFrames, asked.Checkpoint.Step), Is.EqualTo((3, true, true, 400L)));
        Assert.That(asked.Experiment.Name, Is.EqualTo("beta"));
        using var eval = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "eval.json")));
        Assert.That(eval.RootElement.GetProperty("mean_return").GetDouble(), Is.EqualTo(20));
        Assert.That(eval.RootElement.GetProperty("std_return").GetDouble(), Is.EqualTo(Math.Sqrt(200.0 / 3)).Within(1e-12));
        Assert.That(File.ReadAllBytes(P("play.gif")).Take(6), Is.EqualTo("GIF89a"u8.ToArray()));
        Assert.That(r.Out, Does.Contain("return 20 ± 8.16 over 3 episode(s)"));

        RunEvaluation.Evaluate = (_, _) => new EvalResult([1], [1], [frame, new RenderFrame(1, 1, [0, 0, 0])]);
        var bad = Rlplat("eval", run, "--render", P("bad.gif"));
        Assert.That(bad.Code, Is.EqualTo(1));
        Assert.That(bad.Err.Trim(), Is.EqualTo("rlplat eval: ArgumentException: frame 1 is 1x1, frame 0 is 3x2 (Parameter 'frames')"));
    }

    [Test]
    public void PlotRerendersCurvesFromMetrics()
    {
        RegisterCounting();
        Assert.That(Rlplat("run", P("exp.yaml"), "--out", P("runs")).Code, Is.EqualTo(0));
        foreach (var png in Directory.GetFiles(P("runs"), "curve.png", SearchOption.AllDirectories)) File.Delete(png);

        var one = Rlplat("plot", P("runs", "beta", "0"));
        Assert.That(one.Code, Is.EqualTo(0));
        Assert.That(one.Out.Trim(), Is.EqualTo($"wrote {P("runs", "beta", "0", "curve.png")}"));
        var all = Rlplat("plot", P("runs"));
        Assert.That(all.Code, Is.EqualTo(0));
        Assert.That(all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(5), "3 runs and 2 experiments");
        ExperimentRunnerTests.AssertPng(P("runs", "alpha", "curve.png"));

        Directory.CreateDirectory(P("empty"));
        Assert.That(Rlplat("plot", P("empty")).Err, Does.Contain("no metrics.csv with returns to plot"));
        Assert.That(Rlplat("plot").Code, Is.EqualTo(2));
    }

    [Test]
    public void BenchRejectsUnknownSuites()
    {
        var r = Rlplat("bench", "engin");
        Assert.That(r.Code, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("unknown suite 'engin'; expected one of engine, envs, agents; did you mean 'engine'?"));
    }

    private sealed class Stopper : IDisposable
    {
        public bool Disposed;
        public void Dispose() => Disposed = true;
    }
}
