using RlPlat.Connectors.Plugins;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Web;
using RlPlat.Environments;

namespace RlPlat.Connectors.Tests.Web;

/// <summary>The <c>web</c> connector through the registry: several envs are several tabs of one shared browser.</summary>
[NonParallelizable]
public class WebConnectorTests
{
    [SetUp]
    public void NeedsChromium() => WebGameTests.RequireChromium();

    [Test]
    public void Registry_WebConnectors_ShareOneBrowser_OneTabPerEnv()
    {
        var options = new Dictionary<string, object?> { ["kwargs"] = new Dictionary<string, object?> { ["balls"] = 1L }, ["request_timeout"] = "5s" };
        using var a = ConnectorRegistry.Create("web", options);
        using var b = ConnectorRegistry.Create("web", options);
        var first = (WebEnv<float[], int>)a.OpenEnv();
        var second = (WebEnv<float[], int>)b.OpenEnv();
        try
        {
            Assert.That(first.Slot.Host, Is.SameAs(second.Slot.Host));
            Assert.That(first.Slot.Index, Is.Not.EqualTo(second.Slot.Index));
            Assert.That(first.Slot.Host.Browser!.TabIds(), Does.Contain(first.Slot.TabId).And.Contain(second.Slot.TabId));
            // Both play their own seeded game to the end: one ball, 28 frames.
            foreach (var (env, seed) in new[] { (first, 1), (second, 2) })
            {
                var rules = new CatchRules(1);
                rules.Reset(seed);
                env.Reset(seed);
                StepResult<float[]> r;
                do
                {
                    int action = rules.Policy();
                    double reward = rules.Step(action);
                    r = env.Step(action);
                    Assert.That(r.Reward, Is.EqualTo(reward));
                } while (!r.Terminated);
                Assert.That(rules.Frame, Is.EqualTo(28));
            }
        }
        finally
        {
            first.Close();
            second.Close();
        }
        Assert.That(first.Slot.Host.Browser!.HasExited, Is.True, "the shared host stops with its last env");
    }

    [Test]
    public void LiveStream_ForASlowSubscriber_DropsFramesInsteadOfQueueingThem()
    {
        var options = new Dictionary<string, object?> { ["mode"] = "live", ["fps"] = 120L, ["backpressure"] = "latest_only", ["seed"] = 3L };
        using var connector = ConnectorRegistry.Create("web", options);
        var seen = new List<long>();
        using var done = new ManualResetEventSlim();
        using (connector.OpenStream(new ConnectorContext(System.Reactive.Concurrency.NewThreadScheduler.Default)).Subscribe(t =>
        {
            if (t.IsReset) return;
            Thread.Sleep(200); // an agent that needs 200 ms per frame, against a page at 120 fps
            lock (seen) { seen.Add((long)t.Info["frame"]!); if (seen.Count == 8) done.Set(); }
        }))
        {
            Assert.That(done.Wait(TimeSpan.FromSeconds(30)), Is.True, "frames keep coming to a slow subscriber");
        }
        lock (seen)
        {
            Assert.That(seen, Is.Ordered.Ascending, "the newest frame is kept, never an older one");
            long skipped = seen[^1] - seen[0] - (seen.Count - 1);
            Assert.That(skipped, Is.GreaterThan(seen.Count), $"frames {string.Join(",", seen)}: most frames are dropped, not queued");
        }
    }

    [Test]
    public void LiveEnv_EachStepReturnsALaterFrame_WithTheActionApplied()
    {
        var options = new Dictionary<string, object?> { ["mode"] = "live", ["fps"] = 60L, ["seed"] = 9L, ["kwargs"] = new Dictionary<string, object?> { ["balls"] = 20L } };
        using var connector = ConnectorRegistry.Create("web", options);
        using var env = connector.OpenEnv();
        Assert.That(env, Is.InstanceOf<RlPlat.Connectors.Streams.StreamEnv<object, object>>());
        var (first, info) = env.ResetObject(null);
        // Reset gives the newest frame: the page may already be a few frames into the seeded game. The ball does not
        // depend on the paddle, so the rules say where it is at that frame.
        var rules = new CatchRules(20);
        rules.Reset(9);
        while (rules.Frame < (long)info["frame"]!) rules.Step(1);
        Assert.That(((float[])first)[..3], Is.EqualTo(rules.Observation()[..3]));
        long previous = 0;
        float paddle = 0;
        for (int i = 0; i < 30; i++)
        {
            var r = env.StepObject(2);
            long frame = (long)r.Info["frame"]!;
            Assert.That(frame, Is.GreaterThan(previous), "a step waits for a frame newer than the action");
            previous = frame;
            paddle = ((float[])r.Observation)[3];
        }
        // Moving right all along: 6 px a frame from 80 reaches the wall (148) within 12 frames (20 balls last 560 frames,
        // so the episode does not end within these steps even on a slow machine).
        Assert.That(paddle, Is.EqualTo(148f / 160f));
    }
}
