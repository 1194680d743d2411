using RlPlat.Connectors.Plugins;
using RlPlat.Connectors.Recording;

namespace RlPlat.Connectors.Tests.Plugins;

public class OptionsBinderTests
{
    private sealed class Sample
    {
        public int Port { get; set; }
        public double RateHz { get; set; }
        public TimeSpan Latency { get; set; }
        public ReplayTiming Timing { get; set; }
        public bool Reconnect { get; set; }
        public string? Token { get; set; }
        public int? Seed { get; set; }
        public double[] Weights { get; set; } = [];
        public IReadOnlyDictionary<string, object?>? Kwargs { get; set; }
    }

    [Test]
    public void YamlStyleValues_BindToTypedProperties()
    {
        // what YamlDotNet gives for untyped YAML: every scalar as text, lists and maps as collections
        var yaml = new Dictionary<string, object?>
        {
            ["port"] = "7000",
            ["rate_hz"] = "50.5",
            ["latency"] = "30ms",
            ["timing"] = "as_fast_as_possible",
            ["re-connect"] = "yes",
            ["Token"] = "abc",
            ["seed"] = 3L,
            ["weights"] = new List<object?> { "1", 2.5 },
            ["kwargs"] = new Dictionary<object, object?> { ["sutton_barto_reward"] = "true" },
        };
        var s = OptionsBinder.Bind<Sample>(yaml, "connector 'x'");
        Assert.That((s.Port, s.RateHz, s.Latency, s.Timing, s.Reconnect, s.Token, s.Seed),
            Is.EqualTo((7000, 50.5, TimeSpan.FromMilliseconds(30), ReplayTiming.AsFastAsPossible, true, "abc", (int?)3)));
        Assert.That(s.Weights, Is.EqualTo(new[] { 1.0, 2.5 }));
        Assert.That(s.Kwargs!["sutton_barto_reward"], Is.EqualTo("true"));
    }

    [TestCase(2, 2.0)]
    [TestCase("1.5s", 1.5)]
    [TestCase("00:00:05", 5.0)]
    [TestCase("250us", 0.00025)]
    [TestCase("2min", 120.0)]
    public void Durations_ParseFromSecondsOrText(object value, double seconds) =>
        Assert.That(OptionsBinder.ParseDuration(value).TotalSeconds, Is.EqualTo(seconds).Within(1e-9));

    [Test]
    public void UnknownKey_ListsTheValidOnes() =>
        Assert.That(() => OptionsBinder.Bind<Sample>(new Dictionary<string, object?> { ["prot"] = 1 }, "connector 'tcp'"),
            Throws.ArgumentException.With.Message.StartsWith("connector 'tcp': unknown option 'prot' (valid: kwargs, latency, port, rate_hz, reconnect, seed, timing, token, weights)"));

    [TestCase("port", "seven", "option 'port' must be an integer, got 'seven' (text)")]
    [TestCase("port", 1.5, "option 'port' must be an integer, got 1.5 (Double)")]
    [TestCase("reconnect", "maybe", "option 'reconnect' must be true or false")]
    [TestCase("timing", "slow", "option 'timing' must be one of original, as_fast_as_possible")]
    [TestCase("latency", "-1s", "option 'latency' must be a duration")]
    public void WrongTypes_NameKeyValueAndExpectation(string key, object value, string message) =>
        Assert.That(() => OptionsBinder.Bind<Sample>(new Dictionary<string, object?> { [key] = value }, "connector 'x'"),
            Throws.ArgumentException.With.Message.Contains(message));
}
