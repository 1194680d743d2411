using RlPlat.Experiments.Config;

namespace RlPlat.Experiments.Tests.Config;

public class ExperimentFileTests
{
    private const string Minimal = """
        experiments:
          - name: a
            env: {id: CartPole-v1}
            agent: {algorithm: ppo}
        """;

    private static ConfigException Fails(string yaml) => Assert.Throws<ConfigException>(() => ExperimentFile.Parse(yaml, "t.yaml"))!;

    private static ConfigError Single(string yaml)
    {
        var e = Fails(yaml);
        Assert.That(e.Errors, Has.Count.EqualTo(1), e.Message);
        return e.Errors[0];
    }

    [Test]
    public void MinimalExperimentGetsEveryDefault()
    {
        var x = ExperimentFile.Parse(Minimal, "t.yaml").Experiments.Single();
        Assert.That(x.Name, Is.EqualTo("a"));
        Assert.That(x.Env!.Id, Is.EqualTo("CartPole-v1"));
        Assert.That(x.Connector, Is.Null);
        Assert.That(x.NEnvs, Is.EqualTo(1));
        Assert.That(x.Seeds, Is.EqualTo(new[] { 0 }));
        Assert.That(x.Network.Layers, Is.EqualTo(new[] { 64, 64 }));
        Assert.That(x.Network.Activation, Is.EqualTo("tanh"));
        Assert.That(x.Training.TotalSteps, Is.EqualTo(100_000));
        Assert.That(x.Training.Device, Is.EqualTo("cpu"));
        Assert.That(x.Evaluation, Is.EqualTo(new EvaluationSettings(10_000, 10, true)));
        Assert.That(x.Checkpoints, Is.EqualTo(new CheckpointSettings(50_000, 2)));
        var hp = x.Agent.Hyperparameters;
        Assert.That(hp.Int("n_steps"), Is.EqualTo(2048));
        Assert.That(hp.Int("batch_size"), Is.EqualTo(64));
        Assert.That(hp.Float("gamma"), Is.EqualTo(0.99));
        Assert.That(hp.Schedule("learning_rate"), Is.EqualTo(Schedule.Constant(3e-4)));
        Assert.That(hp.Float("learning_rate"), Is.EqualTo(3e-4));
        Assert.That(() => hp.Int("gamma"), Throws.InvalidOperationException.With.Message.EqualTo("ppo hyperparameter 'gamma' is 0.99, not an integer"));
        Assert.That(() => hp.Get("gama"), Throws.ArgumentException.With.Message.Contains("did you mean 'gamma'?"));
        Assert.That(hp.Get("target_kl"), Is.Null);
        Assert.That(hp.Values, Has.Count.EqualTo(HyperparameterTable.For("ppo").Fields.Count));
    }

    [Test]
    public void DefaultsMergeUnderEachExperimentAndExperimentKeysWin()
    {
        var file = ExperimentFile.Parse("""
            defaults:
              n_envs: 4
              training: {total_steps: 5000, device: cuda}
              agent: {algorithm: ppo, hyperparameters: {gamma: 0.9, n_steps: 16, batch_size: 16}}
              seeds: [1, 2]
            experiments:
              - name: a
                env: {id: CartPole-v1}
              - name: b
                env: {id: CartPole-v1}
                training: {total_steps: 7000}
                agent: {hyperparameters: {gamma: 0.5}}
                seeds: [9]
            """, "t.yaml");
        var (a, b) = (file.Experiments[0], file.Experiments[1]);
        Assert.That(a.NEnvs, Is.EqualTo(4));
        Assert.That(a.Training, Is.EqualTo(new TrainingSettings(5000, "cuda", 1000)));
        Assert.That(a.Agent.Hyperparameters.Float("gamma"), Is.EqualTo(0.9));
        Assert.That(a.Seeds, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(b.Training, Is.EqualTo(new TrainingSettings(7000, "cuda", 1000)));
        Assert.That(b.Agent.Hyperparameters.Float("gamma"), Is.EqualTo(0.5));
        Assert.That(b.Agent.Hyperparameters.Int("n_steps"), Is.EqualTo(16));
        Assert.That(b.Seeds, Is.EqualTo(new[] { 9 }));
    }

    [Test]
    public void ExperimentConnectorReplacesDefaultEnv()
    {
        var x = ExperimentFile.Parse("""
            defaults:
              env: {id: CartPole-v1}
              agent: {algorithm: online-ac}
            experiments:
              - name: a
                connector: {type: sensor-stream, options: {env: CarSensors-v0, rate_hz: 50}}
            """, "t.yaml").Experiments.Single();
        Assert.That(x.Env, Is.Null);
        Assert.That(x.Connector!.Type, Is.EqualTo("sensor-stream"));
        Assert.That(x.Connector.Options["rate_hz"], Is.EqualTo(50L));
        Assert.That(x.Connector.Options["env"], Is.EqualTo("CarSensors-v0"));
    }

    [Test]
    public void SchedulesIntegralFloatsAndUnderscoresParse()
    {
        var x = ExperimentFile.Parse("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {algorithm: dqn, hyperparameters: {learning_rate: lin_0.001, buffer_size: 1e5, target_update_interval: 1_000}}
                training: {total_steps: 2e6}
            """, "t.yaml").Experiments.Single();
        var hp = x.Agent.Hyperparameters;
        Assert.That(hp.Schedule("learning_rate"), Is.EqualTo(Schedule.Linear(0.001)));
        Assert.That(hp.Schedule("learning_rate").ValueAt(0.25), Is.EqualTo(0.00025).Within(1e-15));
        Assert.That(hp.Int("buffer_size"), Is.EqualTo(100_000));
        Assert.That(hp.Int("target_update_interval"), Is.EqualTo(1000));
        Assert.That(x.Training.TotalSteps, Is.EqualTo(2_000_000));
    }

    [Test]
    public void WrappersAcceptNamesAndMappings()
    {
        var x = ExperimentFile.Parse("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {algorithm: ppo}
                wrappers:
                  - NormalizeObservation
                  - {name: ClipReward, args: {min_reward: -1, max_reward: 1}}
                  - "My.Wrappers.Shaping, MyAssembly"
                  - {name: TimeLimit, args: {max_episode_steps: 50}}
            """, "t.yaml").Experiments.Single();
        Assert.That(x.Wrappers.Select(w => w.Name), Is.EqualTo(new[] { "NormalizeObservation", "ClipReward", "My.Wrappers.Shaping, MyAssembly", "TimeLimit" }));
        Assert.That(x.Wrappers[1].Args["min_reward"], Is.EqualTo(-1.0));
        // Built-in wrappers get their defaults filled in; a custom type's args pass through as given.
        Assert.That(x.Wrappers[0].Args, Is.EqualTo(new Dictionary<string, object?> { ["epsilon"] = 1e-8 }));
        Assert.That(x.Wrappers[2].Args, Is.Empty);
        Assert.That(x.Wrappers[3].Args["max_episode_steps"], Is.EqualTo(50L));
    }

    [Test]
    public void ReplayBufferPartAndTensorBoardAreRead()
    {
        ResolvedExperiment Read(string checkpoints) => ExperimentFile.Parse($$"""
            experiments:
              - {name: a, env: {id: CartPole-v1}, agent: {algorithm: dqn}, checkpoints: {{checkpoints}}, tensorboard: true}
            """, "t.yaml").Experiments.Single();
        Assert.That(Read("{replay_buffer: 1000}").Checkpoints.ReplayTransitions, Is.EqualTo(1000));
        Assert.That(Read("{replay_buffer: none}").Checkpoints.ReplayTransitions, Is.EqualTo(0));
        Assert.That(Read("{}").Checkpoints.ReplayTransitions, Is.EqualTo(int.MaxValue));
        Assert.That(Read("{}").TensorBoard, Is.True);
        var e = Assert.Throws<ConfigException>(() => Read("{replay_buffer: half}"));
        Assert.That(e!.Errors.Single().ToString(), Is.EqualTo("t.yaml:2:93: experiments[0].checkpoints.replay_buffer: expected full, none or a number of transitions >= 0, got 'half'"));
        Assert.That(Assert.Throws<ConfigException>(() => Read("{replay_buffer: -5}"))!.Errors.Single().ToString(), Does.Contain("replay_buffer: expected full, none or a number"));
    }

    [Test]
    public void WrapperArgumentsAreCheckedWithLineAndColumn()
    {
        var e = Assert.Throws<ConfigException>(() => ExperimentFile.Parse("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {algorithm: ppo}
                wrappers:
                  - TimeLimit
                  - {name: ClipReward, args: {min: -1}}
                  - {name: FrameStackObservation, args: {stack_size: 0, padding: edge}}
                  - GrayscaleObservation
            """, "t.yaml"));
        Assert.That(e!.Errors.Select(x => x.ToString()), Is.EqualTo(new[]
        {
            "t.yaml:6:9: experiments[0].wrappers[0].args (TimeLimit): missing required key 'max_episode_steps'",
            "t.yaml:7:34: experiments[0].wrappers[1].args (ClipReward): give min_reward, max_reward or both",
            "t.yaml:7:35: experiments[0].wrappers[1].args (ClipReward).min: unknown key 'min'",
            "t.yaml:8:58: experiments[0].wrappers[2].args (FrameStackObservation).stack_size: 0 is out of range; expected integer >= 1",
            "t.yaml:8:70: experiments[0].wrappers[2].args (FrameStackObservation).padding: 'edge' is not one of reset, zero",
            "t.yaml:9:9: experiments[0].wrappers[3]: unknown wrapper 'GrayscaleObservation'; expected TimeLimit, RecordEpisodeStatistics, ClipAction, RescaleAction, NormalizeObservation, NormalizeReward, ClipReward, FlattenObservation, FrameStackObservation or 'Namespace.Type, Assembly'; did you mean 'FrameStackObservation'?",
        }));
    }

    [Test]
    public void CustomAgentTypePassesHyperparametersThrough()
    {
        var x = ExperimentFile.Parse("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {type: "My.Agents.Mine, MyAgents", hyperparameters: {anything: 3, label: x}}
            """, "t.yaml").Experiments.Single();
        Assert.That(x.Agent.Algorithm, Is.Null);
        Assert.That(x.Agent.Type, Is.EqualTo("My.Agents.Mine, MyAgents"));
        Assert.That(x.Agent.Hyperparameters.Int("anything"), Is.EqualTo(3));
        Assert.That(x.Agent.Hyperparameters.Get("label"), Is.EqualTo("x"));
    }

    [Test]
    public void UnknownKeySuggestsTheClosestAtItsLineAndColumn()
    {
        var e = Single("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent:
                  algorithm: ppo
                  hyperparameters:
                    n_step: 128
            """);
        Assert.That(e, Is.EqualTo(new ConfigError("t.yaml", 7, 9,
            "agent.hyperparameters (ppo).n_step: unknown key 'n_step'; did you mean 'n_steps'?")));
    }

    [Test]
    public void HyperparameterOfAnotherAlgorithmIsUnknown()
    {
        var e = Single("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {algorithm: dqn, hyperparameters: {clip_range: 0.2}}
            """);
        Assert.That((e.Line, e.Column), Is.EqualTo((4, 47)));
        Assert.That(e.Message, Does.Contain("unknown key 'clip_range'"));
    }

    [Test]
    public void UnknownTopLevelAndSectionKeysAreReported()
    {
        var e = Fails("""
            experiment:
              - name: a
            """);
        Assert.That(e.Errors.Select(x => (x.Line, x.Column)), Is.EqualTo(new[] { (1, 1), (1, 1) }));
        Assert.That(e.Errors[0].Message, Does.Contain("unknown top-level key 'experiment'; did you mean 'experiments'?"));
        Assert.That(e.Errors[1].Message, Does.Contain("missing required key 'experiments'"));

        var t = Single("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {algorithm: ppo}
                trainig: {total_steps: 10}
            """);
        Assert.That(t, Is.EqualTo(new ConfigError("t.yaml", 5, 5, "experiments[0].trainig: unknown key 'trainig'; did you mean 'training'?")));
    }

    [Test]
    public void WrongTypesAreReportedWithWhatWasFound()
    {
        var e = Fails("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                n_envs: four
                agent: {algorithm: ppo, hyperparameters: {normalize_advantage: maybe, learning_rate: fast}}
                network: {layers: 64}
                seeds: [0, x]
            """);
        Assert.That(e.Errors.Select(x => $"{x.Line}:{x.Column} {x.Message}"), Is.EqualTo(new[]
        {
            "4:13 experiments[0].n_envs: expected an integer, got 'four'",
            "5:68 agent.hyperparameters (ppo).normalize_advantage: expected true or false, got 'maybe'",
            "5:90 agent.hyperparameters (ppo).learning_rate: expected a number or a schedule such as lin_0.001, got 'fast'",
            "6:23 experiments[0].network.layers: expected a list, got '64'",
            "7:16 experiments[0].seeds[1]: expected an integer, got 'x'",
        }));
    }

    [Test]
    public void OutOfRangeValuesAreReportedWithTheRange()
    {
        var e = Fails("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                n_envs: 0
                agent:
                  algorithm: ppo
                  hyperparameters:
                    gamma: 1.5
                    learning_rate: lin_-1
                    ent_coef: -0.1
                evaluation: {episodes: 0}
            """);
        Assert.That(e.Errors.Select(x => $"{x.Line}:{x.Column} {x.Message}"), Is.EqualTo(new[]
        {
            "4:13 experiments[0].n_envs: 0 is out of range; expected integer in [1, 4096]",
            "8:16 agent.hyperparameters (ppo).gamma: 1.5 is out of range; expected number in [0, 1]",
            "9:24 agent.hyperparameters (ppo).learning_rate: -1 is out of range; expected number > 0",
            "10:19 agent.hyperparameters (ppo).ent_coef: -0.1 is out of range; expected number >= 0",
            "11:28 experiments[0].evaluation.episodes: 0 is out of range; expected integer >= 1",
        }));
    }

    [Test]
    public void EnumValuesSuggestTheClosest()
    {
        var e = Single("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {algorithm: ppo2}
            """);
        Assert.That(e, Is.EqualTo(new ConfigError("t.yaml", 4, 24,
            "experiments[0].agent.algorithm: 'ppo2' is not one of ppo, a2c, dqn, sac, td3, reinforce, online-ac, online-dqn; did you mean 'ppo'?")));

        var c = Single("""
            experiments:
              - name: a
                connector: {type: tpc}
                agent: {algorithm: online-ac}
            """);
        Assert.That((c.Line, c.Column), Is.EqualTo((3, 23)));
        Assert.That(c.Message, Does.EndWith("did you mean 'tcp'?"));
    }

    [Test]
    public void WholeFileIsCheckedAndAllErrorsReportedInFileOrder()
    {
        var e = Fails("""
            defaults:
              name: x
              trainig: {}
            experiments:
              - name: ok
                env: {id: CartPole-v1}
                agent: {algorithm: ppo}
              - name: bad one
                env: {id: CartPole-v1}
                agent: {algorithm: sac, hyperparameters: {ent_coef: autox}}
              - name: ok
                agent: {algorithm: a2c}
            """);
        Assert.That(e.Errors.Select(x => $"{x.Line}:{x.Column}"), Is.EqualTo(new[] { "2:3", "3:3", "8:11", "10:57", "11:5", "11:11" }));
        Assert.That(e.Errors[0].Message, Does.Contain("defaults.name"));
        Assert.That(e.Errors[1].Message, Does.Contain("did you mean 'training'?"));
        Assert.That(e.Errors[2].Message, Does.Contain("'bad one' is not a valid experiment name"));
        Assert.That(e.Errors[3].Message, Does.Contain("expected auto, auto_X or a number, got 'autox'"));
        Assert.That(e.Errors[4].Message, Does.Contain("give an env (env.id) or a connector"));
        Assert.That(e.Errors[5].Message, Does.Contain("'ok' is already used at line 5"));
        Assert.That(e.Message, Does.StartWith("6 errors:"));
    }

    [Test]
    public void CrossKeyChecksReportTheExperiment()
    {
        var e = Fails("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                connector: {type: sensor-stream, serve: CartPole-v1}
                agent: {algorithm: ppo, hyperparameters: {n_steps: 8, batch_size: 64}}
                network: {layers: [64, 300], growth: {add_units: 0, max_units: 256, max_layers: 1}}
                seeds: [3, 3]
            """);
        var messages = e.Errors.Select(x => x.Message).ToArray();
        Assert.That(e.Errors.All(x => x.Line == 2 && x.Column == 5), Is.True);
        Assert.That(messages, Is.EqualTo(new[]
        {
            "experiments[0]: give either env or connector, not both",
            "experiments[0].connector.serve: 'CartPole-v1' can only be served for a remote connector (tcp, websocket), not 'sensor-stream'",
            "experiments[0].network.growth.max_units: 256 is below the widest layer (300)",
            "experiments[0].network.growth: add_units and add_layers are both 0, so the network would never grow",
            "experiments[0].network.growth.max_layers: 1 is below the current layer count (2)",
            "experiments[0].seeds: seed 3 is listed twice",
            "experiments[0].agent.hyperparameters.batch_size: 64 exceeds the rollout size n_steps * n_envs = 8",
        }));
    }

    [Test]
    public void AgentNeedsExactlyOneOfAlgorithmAndType()
    {
        Assert.That(Single("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {algorithm: ppo, type: "A.B, C"}
            """), Is.EqualTo(new ConfigError("t.yaml", 2, 5, "experiments[0].agent: give either algorithm ('ppo') or type ('A.B, C'), not both")));
        Assert.That(Single("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {}
            """).Message, Does.StartWith("experiments[0].agent: give an algorithm (ppo, a2c"));
        Assert.That(Single("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {type: NotQualified}
            """).Message, Does.Contain("is not a valid type name 'Namespace.Type, Assembly'"));
    }

    [Test]
    public void PpoBatchLargerThanRolloutIsAnError()
    {
        var e = Single("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                n_envs: 2
                agent: {algorithm: ppo, hyperparameters: {n_steps: 16, batch_size: 64}}
            """);
        Assert.That(e.Message, Is.EqualTo("experiments[0].agent.hyperparameters.batch_size: 64 exceeds the rollout size n_steps * n_envs = 32"));
    }

    [Test]
    public void SyntaxErrorReportsWhereTheParserStopped()
    {
        var e = Single("experiments:\n  - name: a\n    env: {id: CartPole-v1\n");
        Assert.That(e.Message, Does.StartWith("YAML syntax:"));
        Assert.That(e.Line, Is.EqualTo(4));
    }

    [Test]
    public void DuplicateKeyIsAnError()
    {
        var e = Single("""
            experiments:
              - name: a
                env: {id: CartPole-v1}
                agent: {algorithm: ppo}
                n_envs: 2
                n_envs: 3
            """);
        Assert.That(e, Is.EqualTo(new ConfigError("t.yaml", 6, 5, "YAML syntax: Duplicate key n_envs")));
    }

    [Test]
    public void EmptyAndNonMappingFilesAreRejected()
    {
        Assert.That(Single("").Message, Does.Contain("expected a mapping"));
        Assert.That(Single("- a\n- b\n").Message, Does.Contain("expected a mapping"));
        Assert.That(Single("experiments: []\n").Message, Does.Contain("the list is empty"));
    }

    [Test]
    public void OverridesApplyToTypedViewAndValues()
    {
        var x = ExperimentFile.Parse(Minimal, "t.yaml").Experiments.Single().With(totalSteps: 500, device: "cuda", seeds: [4, 5]);
        Assert.That(x.Training.TotalSteps, Is.EqualTo(500));
        Assert.That(x.Training.Device, Is.EqualTo("cuda"));
        Assert.That(x.Seeds, Is.EqualTo(new[] { 4, 5 }));
        Assert.That(((OrderedDictionary<string, object?>)x.Values["training"]!)["total_steps"], Is.EqualTo(500L));
        Assert.That(() => x.With(device: "tpu"), Throws.ArgumentException.With.Message.Contains("'tpu'"));
        Assert.That(() => x.With(totalSteps: 0), Throws.ArgumentException.With.Message.Contains("got 0"));
    }

    [Test]
    public void DefaultExperimentsFileValidates()
    {
        var file = ExperimentFile.Load(Path.Combine(RepoRoot(), "experiments.yaml"));
        Assert.That(file.Experiments.Select(e => e.Name), Is.EqualTo(new[] { "ppo-cartpole", "dqn-catch", "ppo-remote-cartpole", "online-car" }));
        Assert.That(file.Experiments.Select(e => e.Target), Is.EqualTo(new[] { "CartPole-v1", "Catch-v0", "tcp", "sensor-stream" }));
        Assert.That(file.Experiments[2].Connector!.Serve, Is.EqualTo("CartPole-v1"));
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "rlplat.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("rlplat.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
