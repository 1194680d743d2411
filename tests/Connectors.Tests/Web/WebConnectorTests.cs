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
            Thread.Sleep(50); // an agent that needs 50 ms per frame, against a page at 120 fps
            lock (seen) { seen.Add((long)t.Info["frame"]!); if (seen.Count == 12) done.Set(); }
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
}
