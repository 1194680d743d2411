using RlPlat.Connectors.Plugins;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Web;
using RlPlat.Environments;

namespace RlPlat.Connectors.Tests.Web;

/// <summary>Lost pages: a killed browser, a closed tab, several tabs through the registry.</summary>
[NonParallelizable]
public class WebRecoveryTests
{
    [SetUp]
    public void NeedsChromium() => WebGameTests.RequireChromium();

    private static WebGameOptions Options(int balls = 5) => new() { Kwargs = new Dictionary<string, object?> { ["balls"] = (long)balls } };

    [Test]
    public void KilledBrowser_EndsTheEpisodeWithTheReason_AndResetRelaunchesIt()
    {
        using var host = WebGameHost.Start();
        using var env = (WebEnv<float[], int>)WebEnv.Open(host.OpenSlot(), Options());
        var rules = new CatchRules(5);
        rules.Reset(11);
        env.Reset(11);
        for (int i = 0; i < 10; i++)
        {
            int a = rules.Policy();
            rules.Step(a);
            env.Step(a);
        }
        int oldPid = host.Browser!.ProcessId;
        host.Browser.Kill();

        var lost = env.Step(1);
        Assert.That((lost.Truncated, lost.Terminated, lost.Reward), Is.EqualTo((true, false, 0.0)));
        Assert.That(lost.Info["web_disconnect"], Does.Contain("the browser died (killed by signal 9)"));
        Assert.That(lost.Observation, Is.EqualTo(rules.Observation()), "the last observation stands");
        Assert.That(() => env.Step(1), Throws.InvalidOperationException.With.Message.Contains("call Reset"));

        rules.Reset(11);
        Assert.That(env.Reset(11).Observation, Is.EqualTo(rules.Observation()));
        Assert.That(host.Relaunches, Is.EqualTo(1));
        Assert.That(host.Browser!.ProcessId, Is.Not.EqualTo(oldPid));
        int action = rules.Policy();
        rules.Step(action);
        Assert.That(env.Step(action).Observation, Is.EqualTo(rules.Observation()));
        Assert.That((env.PagesLost, env.LastLossReason), Is.EqualTo((1, (string?)lost.Info["web_disconnect"])));
    }

    [Test]
    public void ClosedTab_EndsTheEpisode_AndResetOpensANewTab()
    {
        using var host = WebGameHost.Start();
        using var env = (WebEnv<float[], int>)WebEnv.Open(host.OpenSlot(), Options());
        env.Reset(2);
        env.Step(1);
        var oldTab = env.Slot.TabId!;
        Assert.That(host.Browser!.CloseTab(oldTab), Is.True);
        // Closing a tab is asynchronous: wait until rlplat has seen the page go.
        Assert.That(() => env.Slot.IsWaiting, Is.True.After(10000, 20));

        var lost = env.Step(1);
        Assert.That(lost.Truncated, Is.True);
        Assert.That(lost.Info["web_disconnect"], Does.Contain("went away"));
        var rules = new CatchRules(5);
        rules.Reset(2);
        Assert.That(env.Reset(2).Observation, Is.EqualTo(rules.Observation()));
        Assert.That(env.Slot.TabId, Is.Not.EqualTo(oldTab));
        Assert.That(env.Slot.Recoveries, Is.EqualTo(1), $"relaunches: {host.Relaunches}, lost {env.PagesLost}: {env.LastLossReason}, connections {env.Slot.Connections}");
        Assert.That(host.Browser.TabIds(), Does.Contain(env.Slot.TabId).And.Not.Contain(oldTab));
        Assert.That(host.Relaunches, Is.Zero);
    }

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
}
