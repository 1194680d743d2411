using System.Text.Json;
using RlPlat.Environments;
using RlPlat.Experiments.Cli;
using RlPlat.Experiments.Output;
using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Tests.Running;

/// <summary>
/// `rlplat run` then `rlplat eval` for every built-in algorithm, custom agent and connector types named in YAML, and
/// wrappers applied to the envs, all end to end through the command line on tiny budgets.
/// </summary>
[NonParallelizable]
public class AgentEvaluationTests
{
    private string dir = "";

    [SetUp]
    public void SetUp()
    {
        dir = Path.Combine(Path.GetTempPath(), "rlplat-eval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        LayerWiring.Install();
        AgentRunTarget.RegisterAll();
        RunEvaluation.Evaluate = AgentEvaluation.Evaluate;
        TestChainEnv.Register();
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private (int Code, string Out, string Err) Rlplat(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        int code = CommandLineApp.Run(args, new CommandIO(o, e, Interactive: false), CancellationToken.None);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Writes <paramref name="experiment"/> (one YAML list item) to a file and runs it; returns the run folder.</summary>
    private string RunOne(string experiment, string name)
    {
        var file = Path.Combine(dir, name + ".yaml");
        File.WriteAllText(file, "experiments:\n" + experiment);
        var (code, _, err) = Rlplat("run", file, "--out", Path.Combine(dir, "runs"), "--parallel", "1");
        Assert.That(code, Is.EqualTo(0), err);
        return Path.Combine(dir, "runs", name, "0");
    }

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    [TestCase("ppo", "CartPole-v1", "{n_steps: 32, batch_size: 32, n_epochs: 2}")]
    [TestCase("a2c", "CartPole-v1", "{}")]
    [TestCase("reinforce", "CartPole-v1", "{}")]
    [TestCase("dqn", "CartPole-v1", "{learning_starts: 100, batch_size: 16}")]
    [TestCase("sac", "Pendulum-v1", "{learning_starts: 100, batch_size: 16}")]
    [TestCase("td3", "Pendulum-v1", "{learning_starts: 100, batch_size: 16}")]
    public void EvalOfTheFinalCheckpointRepeatsTheRunsFinalEvaluation(string algorithm, string env, string hyperparameters)
    {
        var runDir = RunOne($"""
              - name: {algorithm}
                env: {"{"}id: {env}{"}"}
                agent: {"{"}algorithm: {algorithm}, hyperparameters: {hyperparameters}{"}"}
                network: {"{"}layers: [16]{"}"}
                training: {"{"}total_steps: 300, log_every_steps: 100{"}"}
                evaluation: {"{"}every_steps: 0, episodes: 2{"}"}
                checkpoints: {"{"}every_steps: 0, keep: 1{"}"}
            """, algorithm);
        double final = Json(Path.Combine(runDir, "summary.json")).GetProperty("final_eval_return").GetDouble();

        var (code, output, err) = Rlplat("eval", runDir);
        Assert.That(code, Is.EqualTo(0), err);
        var eval = Json(Path.Combine(runDir, "eval.json"));
        // Same checkpoint, same evaluation seed, same episode count, deterministic actions: the same mean, exactly.
        Assert.That(eval.GetProperty("mean_return").GetDouble(), Is.EqualTo(final));
        Assert.That(eval.GetProperty("episodes").GetInt32(), Is.EqualTo(2));
        Assert.That(eval.GetProperty("checkpoint_step").GetInt64(), Is.EqualTo(300));
        Assert.That(output, Does.Contain($"{algorithm} seed 0 at step 300: return"));
    }

    [Test]
    public void EvalRendersTheFirstEpisodeAsAGif()
    {
        var runDir = RunOne("""
              - name: gif
                env: {id: CartPole-v1}
                agent: {algorithm: ppo, hyperparameters: {n_steps: 32, batch_size: 32, n_epochs: 1}}
                training: {total_steps: 200}
                evaluation: {every_steps: 0, episodes: 1}
            """, "gif");
        var gif = Path.Combine(dir, "play.gif");
        var (code, output, err) = Rlplat("eval", runDir, "--episodes", "3", "--render", gif);
        Assert.That(code, Is.EqualTo(0), err);
        var eval = Json(Path.Combine(runDir, "eval.json"));
        Assert.That(eval.GetProperty("returns").GetArrayLength(), Is.EqualTo(3));
        int length = eval.GetProperty("lengths")[0].GetInt32();
        // One frame per state the policy acted in: the first episode's length.
        Assert.That(output, Does.Contain($"wrote {gif} ({length} frames)"));
        var bytes = File.ReadAllBytes(gif);
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 0, 6), Is.EqualTo("GIF89a"));
        Assert.That(BitConverter.ToUInt16(bytes, 6), Is.EqualTo(600), "CartPole renders 600 x 400");
    }

    [Test]
    public void ShippedTabularQLearningIsNamedByTypeAndLearnsTheChain()
    {
        var runDir = RunOne($"""
              - name: tabular
                env: {"{"}id: {TestChainEnv.Id}{"}"}
                agent:
                  type: "RlPlat.Agents.Examples.TabularQLearning, RlPlat.Agents"
                  hyperparameters: {"{"}learning_rate: 0.5, gamma: 0.9{"}"}
                training: {"{"}total_steps: 3000, log_every_steps: 500{"}"}
                evaluation: {"{"}every_steps: 1000, episodes: 3{"}"}
            """, "tabular");
        var summary = Json(Path.Combine(runDir, "summary.json"));
        Assert.That(summary.GetProperty("agent").GetString(), Is.EqualTo("RlPlat.Agents.Examples.TabularQLearning, RlPlat.Agents"));
        // Optimal play reaches the end of the 5-state chain in 4 steps for a return of 1.
        Assert.That(summary.GetProperty("final_eval_return").GetDouble(), Is.EqualTo(1.0));
        var (code, _, err) = Rlplat("eval", runDir);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(Json(Path.Combine(runDir, "eval.json")).GetProperty("lengths")[0].GetInt32(), Is.EqualTo(4));
    }

    [Test]
    public void AgentAndConnectorTypesFromAnAssemblyPathRunEndToEnd()
    {
        var assembly = typeof(ConstantActionAgent).Assembly;
        string agentType = typeof(ConstantActionAgent).FullName + ", " + assembly.GetName().Name;
        string connectorType = typeof(TestChainConnector).FullName + ", " + assembly.GetName().Name;
        var runDir = RunOne($"""
              - name: custom
                connector: {"{"}type: "{connectorType}", assembly: "{assembly.Location}", options: {"{"}env_id: {TestChainEnv.Id}{"}"}{"}"}
                agent: {"{"}type: "{agentType}", assembly: "{assembly.Location}", hyperparameters: {"{"}action: 1{"}"}{"}"}
                training: {"{"}total_steps: 40, log_every_steps: 10{"}"}
                evaluation: {"{"}every_steps: 0, episodes: 1{"}"}
            """, "custom");
        // Always "right" on the 5-state chain: every episode is 4 steps long and returns 1, so 40 steps make 10 episodes.
        var metrics = MetricsTable.Read(Path.Combine(runDir, "metrics.csv"));
        // The last row is the final evaluation's (its eval_return goes to events.jsonl: it was not a column of the first row).
        Assert.That(metrics.Steps, Is.EqualTo(new long[] { 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 40 }));
        Assert.That(metrics.Column("episode_return")![..10], Is.All.EqualTo(1.0));
        Assert.That(metrics.Column("episode_length")![..10], Is.All.EqualTo(4.0));
        Assert.That(Json(Path.Combine(runDir, "summary.json")).GetProperty("final_eval_return").GetDouble(), Is.EqualTo(1.0));
    }

    [Test]
    public void MissingOrWrongCustomTypesStopTheRunWithOneLinePerProblem()
    {
        var file = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(file, $"""
            experiments:
              - name: missing
                env: {"{"}id: CartPole-v1{"}"}
                agent: {"{"}type: "My.Agents.Nope, MyAgents", assembly: "{Path.Combine(dir, "MyAgents.dll")}"{"}"}
              - name: not-an-agent
                env: {"{"}id: CartPole-v1{"}"}
                agent: {"{"}type: "System.Text.StringBuilder, System.Runtime"{"}"}
              - name: bad-connector
                connector: {"{"}type: "System.Text.StringBuilder, System.Runtime"{"}"}
                agent: {"{"}algorithm: ppo{"}"}
            """);
        var (code, _, err) = Rlplat("run", file, "--out", Path.Combine(dir, "runs"));
        Assert.That(code, Is.EqualTo(ExitCodes.Unavailable));
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("rlplat run: missing: agent type 'My.Agents.Nope, MyAgents' was not found: its assembly '").And.Contain("MyAgents.dll' does not exist"));
        Assert.That(lines[1], Is.EqualTo("rlplat run: not-an-agent: agent type 'System.Text.StringBuilder, System.Runtime' implements neither IAgent nor IRunTarget"));
        Assert.That(lines[2], Does.StartWith("rlplat run: bad-connector: connector 'System.Text.StringBuilder, System.Runtime': type System.Text.StringBuilder is not a concrete class implementing IConnector"));
        Assert.That(Directory.Exists(Path.Combine(dir, "runs")), Is.False, "nothing ran");
    }

    [Test]
    public void WrappersAreAppliedToTrainingAndEvaluationEnvs()
    {
        // TimeLimit 20 cuts CartPole episodes at 20 steps; ClipReward halves each reward on the training envs only.
        var runDir = RunOne("""
              - name: wrapped
                env: {id: CartPole-v1}
                wrappers: [{name: TimeLimit, args: {max_episode_steps: 20}}, {name: ClipReward, args: {max_reward: 0.5}}, NormalizeObservation]
                agent: {algorithm: ppo, hyperparameters: {n_steps: 64, batch_size: 64, n_epochs: 4, learning_rate: 0.003}}
                training: {total_steps: 3000, log_every_steps: 500}
                evaluation: {every_steps: 0, episodes: 3}
            """, "wrapped");
        var metrics = MetricsTable.Read(Path.Combine(runDir, "metrics.csv"));
        var lengths = metrics.Column("episode_length")!.Where(double.IsFinite).ToArray();
        var returns = metrics.Column("episode_return")!.Where(double.IsFinite).ToArray();
        Assert.That(lengths.Max(), Is.EqualTo(20));
        for (int i = 0; i < returns.Length; i++) Assert.That(returns[i], Is.EqualTo(lengths[i] * 0.5));
        // Evaluation sees the env's own rewards (1 per step) under the same time limit, with frozen training statistics.
        double final = Json(Path.Combine(runDir, "summary.json")).GetProperty("final_eval_return").GetDouble();
        // The mean of 3 integer episode returns: a multiple of 1/3 (halved rewards would give multiples of 1/6).
        Assert.That(final * 3, Is.EqualTo(Math.Round(final * 3)).Within(1e-9));
        Assert.That(final, Is.InRange(8, 20));
        var (code, _, err) = Rlplat("eval", runDir);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(Json(Path.Combine(runDir, "eval.json")).GetProperty("mean_return").GetDouble(), Is.EqualTo(final));
    }
    [Test]
    public void AGrowthScheduleOnAFixedNetworkAlgorithmFailsTheRunWithTheReason()
    {
        var file = Path.Combine(dir, "grow.yaml");
        File.WriteAllText(file, """
            experiments:
              - name: grow-ppo
                env: {id: CartPole-v1}
                agent: {algorithm: ppo}
                network: {layers: [16], growth: {every_steps: 100, add_units: 8, max_units: 64}}
                training: {total_steps: 200}
                seeds: [0]
            """);
        var (code, _, _) = Rlplat("run", file, "--out", Path.Combine(dir, "runs"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(Json(Path.Combine(dir, "runs", "grow-ppo", "0", "summary.json")).GetProperty("error").GetString(),
            Does.Contain("network.growth is applied by the online algorithms (online-ac, online-dqn); ppo trains a fixed network"));
    }
}
