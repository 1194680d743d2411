using RlPlat.Connectors.Protocol;
using RlPlat.Connectors.Web;
using RlPlat.Environments;

namespace RlPlat.Connectors.Tests.Web;

/// <summary>Pages that break the protocol, played by the test (no browser needed): they get an error and lose the session.</summary>
public class WebProtocolTests
{
    private static readonly WebGameOptions NoBrowser = new() { Launch = false, ConnectTimeout = TimeSpan.FromSeconds(10), RequestTimeout = TimeSpan.FromSeconds(5) };

    private static void AnswerCreate(FakePage page)
    {
        var create = page.Receive()!.Value;
        Assert.That(create.Type, Is.EqualTo("create"));
        Assert.That(create.Fields["env_id"], Is.EqualTo("Catch-web"));
        Assert.That(((Dictionary<string, object?>)create.Fields["kwargs"]!)["mode"], Is.EqualTo("lockstep"));
        var reply = new FrameBuilder();
        WireMessages.WriteCreated(reply, "Catch-web", SpaceWire.Describe(new Box(0, 1, [2])), SpaceWire.Describe(new Discrete(3)), null);
        page.Send(reply);
    }

    private static void AnswerReset(FakePage page, float[] obs)
    {
        Assert.That(page.Receive()!.Value.Type, Is.EqualTo("reset"));
        var reply = new FrameBuilder();
        WireMessages.WriteResetResult(reply, obs, SpaceWire.Describe(new Box(0, 1, [2])), Info.Empty);
        page.Send(reply);
    }

    private static void ExpectError(FakePage page, ErrorCode code, string text)
    {
        var error = page.Receive()!.Value;
        Assert.That((error.Type, error.Fields["code"]), Is.EqualTo(("error", (object?)(long)code)));
        Assert.That(error.Fields["message"], Does.Contain(text));
        Assert.That(page.Receive(), Is.Null, "rlplat closes the session after the error");
    }

    /// <summary>Opens an env on a new slot whose page is the test (connected with <paramref name="query"/>), through create and a first reset.</summary>
    private sealed record Played(WebEnv<float[], int> Env, FakePage Page) : IDisposable
    {
        public void Dispose()
        {
            Env.Dispose();
            Page.Dispose();
        }
    }

    private static Played PlayedByTest(WebGameHost host, WebGameOptions options, string query, int seed, float[] first)
    {
        var slot = host.OpenSlot();
        var open = Task.Run(() => WebEnv.Open(slot, options));
        var page = new FakePage(host.Port, query);
        AnswerCreate(page);
        var env = (WebEnv<float[], int>)open.Result;
        var reset = Task.Run(() => env.Reset(seed));
        AnswerReset(page, first);
        Assert.That(reset.Result.Observation, Is.EqualTo(first));
        return new Played(env, page);
    }

    [Test]
    public void MalformedHandshake_GetsAnError_AndOpenFailsWithTheReason()
    {
        using var host = WebGameHost.Start(NoBrowser);
        var slot = host.OpenSlot();
        var open = Task.Run(() => WebEnv.Open(slot, NoBrowser));
        using var page = new FakePage(host.Port, "?slot=0");
        Assert.That(page.Receive()!.Value.Type, Is.EqualTo("create"));
        page.Send(new byte[] { 0x82, 0xa4, (byte)'t', (byte)'y', (byte)'p', (byte)'e', 0xc1 });
        ExpectError(page, ErrorCode.InvalidArgument, "(code 0xc1)");
        var e = Assert.Throws<AggregateException>(() => open.Wait())!.InnerException;
        Assert.That(e, Is.InstanceOf<InvalidOperationException>());
        Assert.That(e!.Message, Does.Contain("slot 0 failed its handshake").And.Contain("the page was rejected").And.Contain("0xc1"));
        slot.Dispose();
    }

    [Test]
    public void BadStepReplies_EndTheEpisodeWithTheReason_AndTheNextPageIsPlayed()
    {
        using var host = WebGameHost.Start(NoBrowser);
        using var played = PlayedByTest(host, NoBrowser, "?slot=0", seed: 4, [0.5f, 0.25f]);
        var (env, page) = (played.Env, played.Page);

        // An observation outside the page's own space: refused, the page is told, the episode ends truncated.
        var step = Task.Run(() => env.Step(2));
        var request = page.Receive()!.Value;
        Assert.That((request.Type, request.Fields["action"]), Is.EqualTo(("step", (object?)2L)));
        var bad = new FrameBuilder();
        WireMessages.WriteStepResult(bad, new[] { 1.5f, 0f }, SpaceWire.Describe(new Box(0, 2, [2])), 1, false, false, Info.Empty);
        page.Send(bad);
        ExpectError(page, ErrorCode.InvalidArgument, "outside its own observation space");
        var lost = step.Result;
        Assert.That((lost.Truncated, lost.Observation), Is.EqualTo((true, new[] { 0.5f, 0.25f })));
        Assert.That(lost.Info["web_disconnect"], Does.Contain("the page was rejected").And.Contain("observation space"));

        // A new page connects (a reload would do this): Reset runs the handshake on it, with the seeded sequence going on.
        using var next = new FakePage(host.Port, "?slot=0");
        var again = Task.Run(() => env.Reset());
        AnswerCreate(next);
        var resetRequest = next.Receive()!.Value;
        Assert.That(resetRequest.Fields["seed"], Is.EqualTo(5L), "seed 4 was the first episode; the second gets 5");
        var ok = new FrameBuilder();
        WireMessages.WriteResetResult(ok, new[] { 0.1f, 0.2f }, SpaceWire.Describe(new Box(0, 1, [2])), Info.Empty);
        next.Send(ok);
        Assert.That(again.Result.Observation, Is.EqualTo(new[] { 0.1f, 0.2f }));

        // A reward that is not a finite number is refused too.
        var silent = Task.Run(() => env.Step(0));
        Assert.That(next.Receive()!.Value.Type, Is.EqualTo("step"));
        var nan = new FrameBuilder();
        WireMessages.WriteStepResult(nan, new[] { 0.1f, 0.2f }, SpaceWire.Describe(new Box(0, 1, [2])), double.NaN, false, false, Info.Empty);
        next.Send(nan);
        Assert.That(silent.Result.Info["web_disconnect"], Does.Contain("'reward' = NaN"));
        Assert.That(env.PagesLost, Is.EqualTo(2));
    }

    [Test]
    public void SilentPage_IsTreatedAsHung_AfterTheRequestTimeout()
    {
        var options = new WebGameOptions { Launch = false, ConnectTimeout = TimeSpan.FromSeconds(10), RequestTimeout = TimeSpan.FromMilliseconds(300) };
        using var host = WebGameHost.Start(options);
        using var played = PlayedByTest(host, options, "", seed: 1, [0f, 0f]);
        var (env, page) = (played.Env, played.Page);
        var step = Task.Run(() => env.Step(1));
        Assert.That(page.Receive()!.Value.Type, Is.EqualTo("step"));
        ExpectError(page, ErrorCode.DeadlineExceeded, "did not answer within 0.3 s");
        Assert.That(step.Result.Info["web_disconnect"], Does.Contain("did not answer within 0.3 s"));
    }

    [Test]
    public void UnknownSlot_IsRefused_AndThePageIsServedOverHttp()
    {
        using var host = WebGameHost.Start(NoBrowser);
        using var page = new FakePage(host.Port, "?slot=9");
        ExpectError(page, ErrorCode.ResourceExhausted, "slot '9' is not open");
        using var http = new HttpClient { BaseAddress = host.Url };
        var index = http.GetAsync("/").Result;
        Assert.That(index.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(index.Content.ReadAsStringAsync().Result, Does.Contain("<script src=\"client.js\">"));
        Assert.That(http.GetStringAsync("/msgpack.js").Result, Does.Contain("class Encoder"));
        Assert.That((int)http.GetAsync("/nope.js").Result.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public void Options_NameTheBadValue()
    {
        Assert.That(() => new WebGameOptions { Fps = 0 }.Validate(), Throws.ArgumentException.With.Message.Contains("fps must be in [1, 240], got 0"));
        Assert.That(() => new WebGameOptions { Backpressure = RlPlat.Connectors.Streams.BackpressurePolicy.Block }.Validate(), Throws.ArgumentException.With.Message.Contains("cannot be made to wait"));
        Assert.That(() => new WebGameOptions { PageDirectory = "/nonexistent" }.Validate(), Throws.ArgumentException.With.Message.Contains("'/nonexistent' has no index.html"));
        Assert.That(() => RlPlat.Connectors.Plugins.ConnectorRegistry.Create("web", new Dictionary<string, object?> { ["mode"] = "turbo" }),
            Throws.ArgumentException.With.Message.Contains("'mode' must be one of lockstep, live"));
    }
}
