using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using RlPlat.Connectors.Recording;
using RlPlat.Connectors.Streams;
using RlPlat.Connectors.Tests.TestEnvs;
using RlPlat.Environments;

namespace RlPlat.Connectors.Tests.Recording;

public class TransitionLogTests
{
    private string dir = "";

    [SetUp]
    public void CreateDir() => dir = Directory.CreateTempSubdirectory("rlplat-log-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(dir, recursive: true);

    /// <summary>Records a clocked CounterEnv (10 ms period) for <paramref name="ticks"/> ticks, actions cycling 1, 2.</summary>
    private List<Transition<float[], int>> RecordCounter(string path, int ticks, TransitionLogOptions? options = null, bool dispose = true)
    {
        var env = new CounterEnv(limit: 7);
        var clock = new HistoricalScheduler(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var stream = EnvStream.Clocked(env, TimeSpan.FromMilliseconds(10), clock, defaultAction: 1);
        var writer = new TransitionLogWriter<float[], int>(path, env.ObservationSpace, env.ActionSpace,
            options ?? new TransitionLogOptions { Metadata = new Dictionary<string, object?> { ["env_id"] = "Counter" } });
        var seen = new List<Transition<float[], int>>();
        using (stream.RecordTo(writer).Subscribe(seen.Add))
        {
            for (int i = 0; i < ticks; i++)
            {
                stream.Actions.OnNext(1 + i % 2);
                clock.AdvanceBy(TimeSpan.FromMilliseconds(10));
            }
        }
        if (dispose) writer.Dispose();
        return seen;
    }

    private static void AssertSame(IReadOnlyList<Transition<float[], int>> got, IReadOnlyList<Transition<float[], int>> want)
    {
        Assert.That(got, Has.Count.EqualTo(want.Count));
        for (int i = 0; i < want.Count; i++)
        {
            var (g, w) = (got[i], want[i]);
            Assert.That((g.Timestamp, g.Index, g.Episode, g.Action, g.Reward, g.Terminated, g.Truncated, g.IsReset),
                Is.EqualTo((w.Timestamp, w.Index, w.Episode, w.Action, w.Reward, w.Terminated, w.Truncated, w.IsReset)), $"record {i}");
            Assert.That(g.Observation, Is.EqualTo(w.Observation), $"record {i}");
        }
    }

    [Test]
    public void RecordedStream_ReadsBackIdentically_AsADataset()
    {
        string path = Path.Combine(dir, "run.rlog");
        var seen = RecordCounter(path, 20);
        Assert.That(seen.Count(t => t.IsReset), Is.GreaterThan(1), "the run spans several episodes");
        AssertSame(TransitionLog.ReadAll<float[], int>(path).ToList(), seen);
        using var reader = new TransitionLogReader(path);
        Assert.That(reader.Metadata["env_id"], Is.EqualTo("Counter"));
        Assert.That(reader.ObservationSpace!.Kind, Is.EqualTo("box"));
        Assert.That(reader.Read<float[], int>().Count(), Is.EqualTo(seen.Count));
        Assert.That(reader.TailError, Is.Null);
        // info survives: the first reset carried the seed (null here)
        Assert.That(TransitionLog.ReadAll<float[], int>(path).First().Info.ContainsKey("seed"), Is.True);
    }

    [Test]
    public void TruncatedAtEveryByte_YieldsAnIntactPrefix_NeverAnError()
    {
        string path = Path.Combine(dir, "run.rlog");
        var seen = RecordCounter(path, 3);
        byte[] whole = File.ReadAllBytes(path);
        int headerEnd = 0;
        int lastCount = -1;
        string cut = Path.Combine(dir, "cut.rlog");
        for (int length = whole.Length; length > 0; length--)
        {
            File.WriteAllBytes(cut, whole[..length]);
            List<Transition<float[], int>> got;
            try { got = TransitionLog.ReadAll<float[], int>(cut).ToList(); }
            catch (InvalidDataException) { headerEnd = length; break; } // cut inside the header: refused as "not a log"
            AssertSame(got, seen.Take(got.Count).ToList());
            Assert.That(got.Count, Is.LessThanOrEqualTo(lastCount < 0 ? seen.Count : lastCount));
            lastCount = got.Count;
        }
        Assert.That(lastCount, Is.EqualTo(0));
        Assert.That(headerEnd, Is.GreaterThan(20));
    }

    [Test]
    public void TornTail_IsReported()
    {
        string path = Path.Combine(dir, "run.rlog");
        var seen = RecordCounter(path, 5);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        using var reader = new TransitionLogReader(path);
        Assert.That(reader.Read<float[], int>().Count(), Is.EqualTo(seen.Count - 1));
        Assert.That(reader.TailError, Does.Contain("torn record"));
    }

    [Test]
    public void Crash_LosesOnlyTheUnflushedRecords()
    {
        string path = Path.Combine(dir, "run.rlog");
        // 25 events without closing the writer: flushed every 10, so a reader sees exactly 20 (the process "crashed")
        var seen = RecordCounter(path, 24, new TransitionLogOptions { FlushEvery = 10, FlushInterval = TimeSpan.FromHours(1) }, dispose: false);
        Assert.That(seen, Has.Count.GreaterThanOrEqualTo(25));
        var got = TransitionLog.ReadAll<float[], int>(path).ToList();
        Assert.That(got, Has.Count.EqualTo(seen.Count / 10 * 10));
        AssertSame(got, seen.Take(got.Count).ToList());
    }

    [Test]
    public void Replay_AtOriginalTiming_AndFaster()
    {
        string path = Path.Combine(dir, "run.rlog");
        var seen = RecordCounter(path, 4);
        foreach (var speed in new[] { 1.0, 2.0 })
        {
            var clock = new HistoricalScheduler(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
            var start = clock.Now;
            var at = new List<double>();
            using var _ = TransitionLog.Replay<float[], int>(path, clock, ReplayTiming.Original, speed).Subscribe(t => at.Add((clock.Now - start).TotalMilliseconds));
            clock.AdvanceBy(TimeSpan.FromMilliseconds(25 / speed));
            Assert.That(at, Is.EqualTo(new[] { 0, 10 / speed, 20 / speed }), $"speed {speed}: only records due by now");
            clock.AdvanceBy(TimeSpan.FromSeconds(1));
            Assert.That(at, Is.EqualTo(seen.Select(t => (t.Timestamp - seen[0].Timestamp).TotalMilliseconds / speed)));
        }
    }

    [Test]
    public void Replay_AsFastAsPossible_DeliversEverythingInOrder_AndCompletes()
    {
        string path = Path.Combine(dir, "run.rlog");
        var seen = RecordCounter(path, 30);
        var got = new List<Transition<float[], int>>();
        bool done = false;
        var clock = new HistoricalScheduler();
        using var _ = TransitionLog.Replay<float[], int>(path, clock, ReplayTiming.AsFastAsPossible).Subscribe(got.Add, () => done = true);
        clock.Start();
        Assert.That(done, Is.True);
        AssertSame(got, seen);
        Assert.That(clock.Now, Is.EqualTo(DateTimeOffset.MinValue), "no virtual time passes");
    }

    [Test]
    public void NotALog_IsRefusedWithItsPath()
    {
        string path = Path.Combine(dir, "x.rlog");
        File.WriteAllBytes(path, RlPlat.Connectors.Protocol.ValueCodec.Serialize(new Dictionary<string, object?> { ["format"] = "csv" }));
        Assert.That(() => new TransitionLogReader(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("x.rlog").And.Message.Contains("not a transition log"));
    }
}
