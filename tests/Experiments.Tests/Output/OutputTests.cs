using RlPlat.Experiments.Config;
using RlPlat.Experiments.Output;
using RlPlat.Experiments.Running;
using RlPlat.Experiments.Tests.Config;

namespace RlPlat.Experiments.Tests.Output;

public class OutputTests
{
    private string dir = "";

    [SetUp]
    public void SetUp() => dir = Path.Combine(Path.GetTempPath(), "rlplat-out-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    [Test]
    public void ResolvedConfigRoundTripsForEveryDefaultExperiment()
    {
        foreach (var e in ExperimentFile.Load(Path.Combine(ExperimentFileTests.RepoRoot(), "experiments.yaml")).Experiments)
        {
            var text = ConfigYaml.Write(e);
            var back = ExperimentFile.ParseExperiment(text, "config.yaml");
            Assert.That(ConfigYaml.Write(back).Split('\n').Skip(1), Is.EqualTo(text.Split('\n').Skip(1)), e.Name);
            Assert.That(back.Agent.Hyperparameters.Values, Is.EqualTo(e.Agent.Hyperparameters.Values), e.Name);
            Assert.That(ExperimentFile.Parse(ConfigYaml.WriteAsFile(e), "f.yaml").Experiments.Single().Network, Is.EqualTo(e.Network).Using<NetworkSettings>((x, y) => x.Layers.SequenceEqual(y.Layers) && x.Activation == y.Activation && x.Growth == y.Growth));
        }
    }

    [Test]
    public void ResolvedConfigQuotesStringsThatWouldReadAsOtherTypes()
    {
        var e = ExperimentFile.Parse("""
            experiments:
              - name: a
                env: {id: CartPole-v1, kwargs: {label: "true", code: "007", mode: fast}}
                agent: {algorithm: sac, hyperparameters: {ent_coef: auto_0.1, gamma: 1}}
            """, "t.yaml").Experiments.Single();
        var text = ConfigYaml.Write(e);
        Assert.That(text, Does.Contain("label: \"true\"").And.Contain("code: \"007\"").And.Contain("mode: fast").And.Contain("gamma: 1.0").And.Contain("ent_coef: auto_0.1"));
        var back = ExperimentFile.ParseExperiment(text, "c.yaml");
        Assert.That(back.Env!.Kwargs["label"], Is.EqualTo("true"));
        Assert.That(back.Agent.Hyperparameters.Float("gamma"), Is.EqualTo(1.0));
    }

    [Test]
    public void CheckpointStoreKeepsTheNewestAndPointsAtTheLatest()
    {
        var store = new CheckpointStore(dir, keep: 2);
        Assert.That((store.LatestStep, store.Latest()), Is.EqualTo(((long?)null, (Checkpoint?)null)));
        for (long step = 10; step <= 40; step += 10)
            store.Save(step, new Dictionary<string, byte[]> { ["policy"] = [(byte)step], ["optimizer.state"] = [1, 2, 3] });
        var latest = store.Latest()!;
        Assert.That(latest.Step, Is.EqualTo(40));
        Assert.That(latest.Blobs["policy"], Is.EqualTo(new byte[] { 40 }));
        Assert.That(latest.Blobs["optimizer.state"], Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(Directory.GetDirectories(dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "step-000000000030", "step-000000000040" }));
        Assert.That(File.ReadAllText(Path.Combine(dir, "latest")), Is.EqualTo("step-000000000040\n"));

        store.Save(40, new Dictionary<string, byte[]> { ["policy"] = [99] });
        Assert.That(store.Latest()!.Blobs.Keys, Is.EqualTo(new[] { "policy" }), "saving a step again replaces it whole");
        Assert.That(() => store.Save(50, new Dictionary<string, byte[]> { ["../evil"] = [] }), Throws.ArgumentException.With.Message.Contains("'../evil'"));
        Assert.That(() => store.Save(50, new Dictionary<string, byte[]>()), Throws.ArgumentException.With.Message.Contains("step 50 has no blobs"));
        Assert.That(() => new CheckpointStore(dir, 0), Throws.ArgumentException.With.Message.Contains("got 0"));
        Assert.That(Directory.GetFileSystemEntries(dir, ".*"), Is.Empty, "no temp folders left behind");
    }

    [Test]
    public void MetricsWriterFixesColumnsAtTheFirstRowAndSendsNewKeysToEvents()
    {
        var metrics = new MetricsWriter(dir);
        metrics.Log(10, new Dictionary<string, double> { ["loss"] = 0.5, ["episode_return"] = 3 });
        metrics.Log(20, new Dictionary<string, double> { ["episode_return"] = 4, ["kl"] = 0.01, ["eval_return"] = 7 });
        metrics.Log(30, new Dictionary<string, double> { ["eval_return"] = 5, ["loss"] = double.NaN });
        metrics.Event(30, MetricKeys.GrowthEvent, new Dictionary<string, object?> { ["layer"] = 0, ["units"] = 80 });
        metrics.Flush();

        var lines = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        Assert.That(lines[0], Is.EqualTo("step,wall_time,loss,episode_return"));
        Assert.That(lines.Skip(1).Select(l => Drop(l, 1)), Is.EqualTo(new[] { "10,0.5,3", "20,,4", "30,NaN," }));
        var events = File.ReadAllLines(Path.Combine(dir, "events.jsonl")).Select(l => Drop(l, 1, ',')).ToArray();
        Assert.That(events, Is.EqualTo(new[]
        {
            """{"step":20,"kind":"metrics","kl":0.01,"eval_return":7}""",
            """{"step":30,"kind":"metrics","eval_return":5}""",
            """{"step":30,"kind":"growth","layer":0,"units":80}""",
        }));
        Assert.That((metrics.LastEvalReturn, metrics.BestEvalReturn, metrics.LastEpisodeReturn), Is.EqualTo(((double?)5, (double?)7, (double?)4)));
        Assert.That(() => metrics.Log(40, new Dictionary<string, double> { ["a,b"] = 1 }), Throws.ArgumentException.With.Message.Contains("'a,b'"));
        Assert.That(() => metrics.Event(40, "x", new Dictionary<string, object?> { ["step"] = 1 }), Throws.ArgumentException.With.Message.Contains("'step' clashes"));
    }

    [Test]
    public void SeedCurveAveragesOnTheStepsEveryRunReached()
    {
        var a = Table("step,wall_time,episode_return\n0,0,0\n100,1,10\n");
        var b = Table("step,wall_time,episode_return\n0,0,2\n50,1,4\n200,2,100\n");
        var curve = SeedCurve.From([a, b], "episode_return");
        Assert.That(curve.Seeds, Is.EqualTo(2));
        Assert.That((curve.Steps[0], curve.Steps[^1]), Is.EqualTo((0.0, 100.0)), "the grid ends where the shorter run ends");
        Assert.That((curve.Mean[0], curve.Std[0]), Is.EqualTo((1.0, 1.0)));
        // At step 100: a = 10; b interpolates 4 + (100-50)/150 * 96 = 36.
        Assert.That(curve.Mean[^1], Is.EqualTo(23).Within(1e-12));
        Assert.That(curve.Std[^1], Is.EqualTo(13).Within(1e-12));
        Assert.That(SeedCurve.From([a], "eval_return").Steps, Is.Empty);
    }

    [Test]
    public void MetricsTableNamesTheBadLine()
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "m.csv");
        File.WriteAllText(path, "step,wall_time,x\n1,0,2\n2,0\n");
        Assert.That(() => MetricsTable.Read(path), Throws.InvalidOperationException.With.Message.EqualTo($"{path}:3: 2 cells, the header has 3"));
        File.WriteAllText(path, "step,wall_time,x\n1,0,abc\n");
        Assert.That(() => MetricsTable.Read(path), Throws.InvalidOperationException.With.Message.EqualTo($"{path}:2: column 'x' holds 'abc', not a number"));
    }

    [Test]
    public void AtomicWriteReplacesWholeAndLeavesNoTempFile()
    {
        var path = Path.Combine(dir, "sub", "f.txt");
        AtomicFile.WriteText(path, "one");
        AtomicFile.WriteText(path, "two");
        Assert.That(File.ReadAllText(path), Is.EqualTo("two"));
        Assert.That(() => AtomicFile.Write(path, _ => throw new IOException("disk full")), Throws.TypeOf<IOException>());
        Assert.That(File.ReadAllText(path), Is.EqualTo("two"), "a failed write leaves the old content");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void SchedulesAndSuggestions()
    {
        Assert.That(Schedule.TryParse("lin_0.5_0.1", out var s), Is.True);
        Assert.That((s.ValueAt(1), s.ValueAt(0), s.ValueAt(0.5)), Is.EqualTo((0.5, 0.1, 0.3)).Using<(double, double, double)>((x, y) => Math.Abs(x.Item3 - y.Item3) < 1e-12 && x.Item1 == y.Item1 && x.Item2 == y.Item2));
        Assert.That(s.ToString(), Is.EqualTo("lin_0.5_0.1"));
        Assert.That(Schedule.Linear(1e-3).ToString(), Is.EqualTo("lin_0.001"));
        Assert.That(Schedule.TryParse("lin_x", out _), Is.False);
        Assert.That(Schedule.TryParse("exp_0.1", out _), Is.False);
        Assert.That(DidYouMean.Distance("kitten", "sitting"), Is.EqualTo(3));
        Assert.That(DidYouMean.Suggest("learning_rte", HyperparameterTable.For("ppo").Keys), Is.EqualTo("learning_rate"));
        Assert.That(DidYouMean.Suggest("zzz", HyperparameterTable.For("ppo").Keys), Is.Null);
    }

    [Test]
    public void HyperparameterTableHoldsSb3Defaults()
    {
        Assert.That(HyperparameterTable.Algorithms, Has.Count.EqualTo(8));
        var dqn = HyperparameterTable.Defaults("dqn");
        Assert.That((dqn["buffer_size"], dqn["target_update_interval"], dqn["exploration_final_eps"], dqn["learning_starts"]), Is.EqualTo(((object)1_000_000L, (object)10_000L, (object)0.05, (object)100L)));
        var sac = HyperparameterTable.Defaults("sac");
        Assert.That((sac["ent_coef"], sac["tau"], sac["batch_size"]), Is.EqualTo(((object)"auto", (object)0.005, (object)256L)));
        Assert.That(HyperparameterTable.Defaults("td3")["policy_delay"], Is.EqualTo(2L));
        Assert.That(HyperparameterTable.Defaults("a2c")["learning_rate"], Is.EqualTo(Schedule.Constant(7e-4)));
        Assert.That(() => HyperparameterTable.For("ppo2"), Throws.ArgumentException.With.Message.Contains("did you mean 'ppo'?"));
    }

    private MetricsTable Table(string csv)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, csv);
        return MetricsTable.Read(path);
    }

    /// <summary>Removes the wall-time field (it varies) so lines compare exactly.</summary>
    private static string Drop(string line, int index, char sep = ',')
    {
        if (line.StartsWith('{'))
        {
            int start = line.IndexOf("\"wall_time\":", StringComparison.Ordinal);
            int end = line.IndexOf(',', start);
            return line.Remove(start, end - start + 1);
        }
        var parts = line.Split(sep).ToList();
        parts.RemoveAt(index);
        return string.Join(sep, parts);
    }
}

public class ReadmeTests
{
    [Test]
    public void ReadmeDocumentsEverySchemaKeyAsTheSchemaDefinesIt()
    {
        var readme = File.ReadAllText(Path.Combine(ExperimentFileTests.RepoRoot(), "README.md"));
        Assert.That(readme, Does.Contain(SchemaDoc.Markdown()), "regenerate the schema tables in README.md from SchemaDoc.Markdown()");
    }
}
