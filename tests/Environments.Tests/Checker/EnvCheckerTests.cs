namespace RlPlat.Environments.Tests.Checker;

public class EnvCheckerTests
{
    private static IEnumerable<string> BuiltInIds() => Gym.Ids.Where(id => !id.StartsWith("Scripted", StringComparison.Ordinal));

    [TestCaseSource(nameof(BuiltInIds))]
    public void EveryBuiltInEnvPassesTheChecker(string id)
    {
        using IEnv env = Gym.Make(id);
        var report = EnvChecker.Check(env);
        Assert.That(report.Warnings, Is.Empty, string.Join("; ", report.Warnings));
    }

    [Test]
    public void AnUnseededEnvIsCaught()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => EnvChecker.Check(new IgnoresSeed()));
        Assert.That(ex!.Message, Does.Contain("not deterministic").Or.Contain("different observations"));
    }

    [Test]
    public void AnObservationOutsideTheSpaceIsCaught()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => EnvChecker.Check(new OutOfSpace()));
        Assert.That(ex!.Message, Does.Contain("outside the observation space"));
    }

    /// <summary>Resets to a random state from a generator it never re-seeds.</summary>
    private sealed class IgnoresSeed : Env<float[], int>
    {
        private readonly System.Random random = new();
        private readonly float[] obs = new float[1];

        public override Space ObservationSpace { get; } = new Box(0, 1, [1]);

        public override Space ActionSpace { get; } = new Discrete(2);

        protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
        {
            obs[0] = random.NextSingle();
            return (obs, Info.Empty);
        }

        public override StepResult<float[]> Step(int action) => new(obs, 0, false, false, Info.Empty);
    }

    /// <summary>Returns 2 from a [0, 1] box.</summary>
    private sealed class OutOfSpace : Env<float[], int>
    {
        private readonly float[] obs = [2f];

        public override Space ObservationSpace { get; } = new Box(0, 1, [1]);

        public override Space ActionSpace { get; } = new Discrete(2);

        protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options) => (obs, Info.Empty);

        public override StepResult<float[]> Step(int action) => new(obs, 0, false, false, Info.Empty);
    }
}
