using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using MessagePack;
using RlPlat.Connectors.Plugins;
using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Streams;
using RlPlat.Connectors.Web;
using RlPlat.Environments;

namespace RlPlat.Connectors.Tests.Web;

/// <summary>
/// The Catch page in headless Chromium (one browser for the fixture): handshake, lockstep play against the rules, the JS
/// codec, live mode, pixels, and lost pages (a closed tab, a killed browser) with their recovery.
/// </summary>
[NonParallelizable]
public class WebGameTests
{
    private WebGameHost host = null!;

    internal static void RequireChromium()
    {
        if (ChromiumBrowser.Find() is null)
            Assert.Ignore("chromium is not installed here (apt-get install -y chromium); .ci/run installs it, so CI runs these tests.");
    }

    [OneTimeSetUp]
    public void StartHost()
    {
        RequireChromium();
        host = WebGameHost.Start();
    }

    [OneTimeTearDown]
    public void StopHost() => host?.Dispose();

    private static WebGameOptions Lockstep(int balls = 5) => new() { Kwargs = new Dictionary<string, object?> { ["balls"] = (long)balls } };

    [Test]
    public void Handshake_DescribesTheCatchSpaces_AndGivesATypedEnv()
    {
        using var env = WebEnv.Open(host.OpenSlot(), Lockstep());
        Assert.That(env, Is.InstanceOf<WebEnv<float[], int>>());
        Assert.That(env.ObservationSpace, Is.InstanceOf<Box>());
        var box = (Box)env.ObservationSpace;
        Assert.That(box.Shape, Is.EqualTo(new[] { 5 }));
        Assert.That(box.Low, Is.EqualTo(new[] { 0f, 0f, -1f, 0f, 0f }));
        Assert.That(box.High, Is.EqualTo(new[] { 1f, 1f, 1f, 1f, 1f }));
        Assert.That(env.ActionSpace, Is.InstanceOf<Discrete>().With.Property("N").EqualTo(3));
    }

    [Test]
    public void Lockstep_ThreeHundredScriptedSteps_MatchTheGameRules()
    {
        using var env = (WebEnv<float[], int>)WebEnv.Open(host.OpenSlot(), Lockstep(balls: 5));
        var rules = new CatchRules(balls: 5);
        rules.Reset(7);
        Assert.That(env.Reset(7).Observation, Is.EqualTo(rules.Observation()));
        int episodes = 0, caught = 0, missed = 0;
        for (int i = 0; i < 300; i++)
        {
            int action = rules.Policy();
            double expected = rules.Step(action);
            var r = env.Step(action);
            Assert.That(r.Observation, Is.EqualTo(rules.Observation()), $"step {i}");
            Assert.That((r.Reward, r.Terminated, r.Truncated), Is.EqualTo((expected, rules.Over, false)), $"step {i}");
            Assert.That(r.Info["frame"], Is.EqualTo((long)rules.Frame));
            if (expected > 0) caught++;
            if (expected < 0) missed++;
            if (!r.Terminated) continue;
            episodes++;
            Assert.That((r.Info["caught"], r.Info["missed"]), Is.EqualTo(((object)(long)rules.Caught, (object)(long)rules.Missed)));
            // No seed: the page's generator goes on, as Gymnasium's does.
            rules.Reset(null);
            Assert.That(env.Reset().Observation, Is.EqualTo(rules.Observation()));
        }
        // 28 frames per ball, 5 balls per episode: 300 steps finish two episodes; every fourth ball is missed on purpose.
        Assert.That(episodes, Is.EqualTo(2));
        Assert.That((caught, missed), Is.EqualTo((8, 2)));
        Assert.That(env.PagesLost, Is.Zero);
    }

    [Test]
    public void Lockstep_ActionOutsideTheSpace_IsRefusedBeforeTheWire()
    {
        using var env = (WebEnv<float[], int>)WebEnv.Open(host.OpenSlot(), Lockstep());
        env.Reset(1);
        var e = Assert.Throws<ArgumentException>(() => env.Step(3));
        Assert.That(e!.Message, Does.Contain("action 3").And.Contain("Discrete(3)"));
        Assert.That(env.Step(1).Truncated, Is.False);
    }

    [Test]
    public void JsCodec_EchoesEveryEncodingByteForByte()
    {
        var slot = host.OpenSlot();
        try
        {
            var page = slot.Acquire(TimeSpan.FromSeconds(30));
            var frame = new FrameBuilder();
            var w = frame.Begin();
            w.WriteMapHeader(2);
            w.Write("type"); w.Write("echo");
            w.Write("value");
            WriteSamples(ref w);
            frame.End(ref w);
            var reply = page.Exchange(frame, TimeSpan.FromSeconds(10));
            Assert.That(Convert.ToHexString(reply), Is.EqualTo(Convert.ToHexString(frame.Payload.ToArray())));
            // And the C# decoder reads what the page wrote: the tensor comes back as a float[] with its values.
            var (_, fields) = WireMessages.Read(reply);
            var value = (Dictionary<string, object?>)fields["value"]!;
            Assert.That(value["tensor"], Is.EqualTo(new[] { 0.5f, -1f, 3.25f, 0f, 1e-3f, float.MaxValue }));
            Assert.That(value["text"], Is.EqualTo(new object[] { "", "a", new string('x', 31), new string('y', 32), new string('z', 300), "héllo ✓ 日本" }));

            // float32 has no JS type of its own: it comes back as the same number in float64.
            var f32 = new FrameBuilder();
            var w2 = f32.Begin();
            w2.WriteMapHeader(2);
            w2.Write("type"); w2.Write("echo");
            w2.Write("value"); w2.Write(1.25f);
            f32.End(ref w2);
            var back = WireMessages.Read(page.Exchange(f32, TimeSpan.FromSeconds(10))).Fields["value"];
            Assert.That(back, Is.EqualTo(1.25d));
        }
        finally
        {
            slot.Dispose();
        }
    }

    private static void WriteSamples(ref MessagePackWriter w)
    {
        w.WriteMapHeader(9);
        w.Write("ints");
        long[] ints = [0, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, -1, -32, -33, -128, -129, -32768, -32769, int.MinValue, (long)int.MinValue - 1,
            9007199254740991, -9007199254740991, long.MaxValue, long.MinValue];
        w.WriteArrayHeader(ints.Length);
        foreach (var i in ints) w.Write(i);
        w.Write("floats");
        double[] floats = [1.5, -2.25e300, double.PositiveInfinity, double.NegativeInfinity, 5e-324, 0.1];
        w.WriteArrayHeader(floats.Length);
        foreach (var f in floats) w.Write(f);
        w.Write("text");
        string[] texts = ["", "a", new string('x', 31), new string('y', 32), new string('z', 300), "héllo ✓ 日本"];
        w.WriteArrayHeader(texts.Length);
        foreach (var t in texts) w.Write(t);
        w.Write("bins");
        w.WriteArrayHeader(3);
        w.Write(Array.Empty<byte>());
        w.Write(Enumerable.Range(0, 300).Select(i => (byte)i).ToArray());
        w.Write(new byte[70000]);
        w.Write("flags");
        w.WriteArrayHeader(3);
        w.WriteNil(); w.Write(true); w.Write(false);
        w.Write("array16");
        w.WriteArrayHeader(20);
        for (int i = 0; i < 20; i++) w.Write(i * 1000);
        w.Write("map16");
        w.WriteMapHeader(17);
        for (int i = 0; i < 17; i++) { w.Write($"k{i}"); w.WriteArrayHeader(1); w.WriteMapHeader(0); }
        w.Write("tensor");
        ValueCodec.Write(ref w, new[] { 0.5f, -1f, 3.25f, 0f, 1e-3f, float.MaxValue }, [2, 3]);
        w.Write("tensors");
        w.WriteArrayHeader(3);
        ValueCodec.Write(ref w, new[] { long.MinValue, 1L }, [2]);
        ValueCodec.Write(ref w, new[] { Math.PI }, [1]);
        ValueCodec.Write(ref w, new byte[] { 1, 2, 255 }, [3]);
    }

    [Test]
    public void Pixels_AreTheCanvasDownscaledToGrayscale()
    {
        var options = new WebGameOptions { Kwargs = new Dictionary<string, object?> { ["observation"] = "pixels" } };
        using var env = (WebEnv<byte[], int>)WebEnv.Open(host.OpenSlot(), options);
        Assert.That(((Box)env.ObservationSpace).Shape, Is.EqualTo(new[] { 30, 40 }));
        var obs = env.Reset(3).Observation;
        Assert.That(obs, Has.Length.EqualTo(1200));
        // The paddle (grey 160, pixels 68..92 x 112..120) covers columns 17..22 of the last two rows; the middle is black.
        Assert.That(obs[29 * 40 + 20], Is.EqualTo(160).Within(2));
        Assert.That(obs[29 * 40 + 5], Is.Zero);
        Assert.That(obs.AsSpan(15 * 40, 40).ToArray(), Is.All.Zero);
        var r = env.Step(2);
        Assert.That(r.Observation[29 * 40 + 16], Is.EqualTo(0).Or.LessThan(20), "left edge after moving right");
    }

    [Test]
    public void Live_ThePageKeepsItsOwnTime_AndAppliesTheNewestAction()
    {
        var options = new WebGameOptions { Mode = WebMode.Live, Fps = 60, Seed = 5, Kwargs = new Dictionary<string, object?> { ["balls"] = 2L } };
        using var live = LiveGame.Open(host.OpenSlot(), options);
        var frames = new BlockingCollection<Transition<object, object>>();
        using (live.Subscribe(frames.Add))
        {
            var rules = new CatchRules(balls: 2);
            rules.Reset(5);
            Assert.That(frames.TryTake(out var first, TimeSpan.FromSeconds(10)), Is.True);
            Assert.That(first!.IsReset, Is.True);
            Assert.That(first.Observation, Is.EqualTo(rules.Observation()));
            live.Actions.OnNext(2);
            long previous = 0;
            var seen = new List<Transition<object, object>>();
            while (seen.Count < 70 && frames.TryTake(out var t, TimeSpan.FromSeconds(10))) seen.Add(t);
            Assert.That(seen, Has.Count.EqualTo(70));
            foreach (var t in seen)
            {
                if (t.IsReset) continue;
                long frame = (long)t.Info["frame"]!;
                Assert.That(frame, Is.EqualTo(previous + 1), "a fast consumer sees every frame");
                previous = frame;
                // The ball does not depend on the paddle, so its path is known frame by frame.
                while (rules.Frame < frame) rules.Step(1);
                var obs = (float[])t.Observation;
                Assert.That(obs[..3], Is.EqualTo(rules.Observation()[..3]), $"frame {frame}");
                if (t.Terminated) break;
            }
            // Moving right from the start, the paddle reaches the right wall (148 px) within the two balls.
            Assert.That(seen.Max(t => ((float[])t.Observation)[3]), Is.EqualTo(148f / 160f));
            Assert.That(seen.Any(t => t.Terminated), Is.True, "2 balls x 28 frames end an episode within 70 frames");
            int resetAt = seen.FindIndex(t => t.IsReset);
            Assert.That(resetAt, Is.GreaterThan(0), "the page starts the next episode by itself");
            Assert.That(seen[resetAt].Episode, Is.EqualTo(1));
        }
    }

    [Test]
    public void KilledBrowser_EndsTheEpisodeWithTheReason_AndResetRelaunchesIt()
    {
        using var env = (WebEnv<float[], int>)WebEnv.Open(host.OpenSlot(), Lockstep());
        var rules = new CatchRules(5);
        rules.Reset(11);
        env.Reset(11);
        for (int i = 0; i < 10; i++)
        {
            int a = rules.Policy();
            rules.Step(a);
            env.Step(a);
        }
        int oldPid = host.Browser!.ProcessId, relaunches = host.Relaunches;
        host.Browser.Kill();

        var lost = env.Step(1);
        Assert.That((lost.Truncated, lost.Terminated, lost.Reward), Is.EqualTo((true, false, 0.0)));
        Assert.That(lost.Info["web_disconnect"], Does.Contain("the browser died (killed by signal 9)"));
        Assert.That(lost.Observation, Is.EqualTo(rules.Observation()), "the last observation stands");
        Assert.That(() => env.Step(1), Throws.InvalidOperationException.With.Message.Contains("call Reset"));

        rules.Reset(11);
        Assert.That(env.Reset(11).Observation, Is.EqualTo(rules.Observation()));
        Assert.That(host.Relaunches, Is.EqualTo(relaunches + 1));
        Assert.That(host.Browser!.ProcessId, Is.Not.EqualTo(oldPid));
        int action = rules.Policy();
        rules.Step(action);
        Assert.That(env.Step(action).Observation, Is.EqualTo(rules.Observation()));
        Assert.That((env.PagesLost, env.LastLossReason), Is.EqualTo((1, (string?)lost.Info["web_disconnect"])));
    }

    [Test]
    public void ClosedTab_EndsTheEpisode_AndResetOpensANewTab()
    {
        using var env = (WebEnv<float[], int>)WebEnv.Open(host.OpenSlot(), Lockstep());
        env.Reset(2);
        env.Step(1);
        var oldTab = env.Slot.TabId!;
        int pid = host.Browser!.ProcessId;
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
        Assert.That(env.Slot.Recoveries, Is.EqualTo(1));
        Assert.That(host.Browser.TabIds(), Does.Contain(env.Slot.TabId).And.Not.Contain(oldTab));
        Assert.That(host.Browser.ProcessId, Is.EqualTo(pid), "the browser itself was fine");
    }
}
