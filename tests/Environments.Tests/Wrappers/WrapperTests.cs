using RlPlat.Environments.ClassicControl;
using RlPlat.Environments.Wrappers;

namespace RlPlat.Environments.Tests.Wrappers;

public class WrapperTests
{
    [Test]
    public void NormalizeObservationMatchesGymnasiumRunningStatistics()
    {
        // Expected values: Gymnasium's RunningMeanStd/NormalizeObservation formulas run in numpy on obs [t, 2t], t = 0..3.
        var env = new NormalizeObservation<int>(new ObsRamp());
        var seen = new List<float[]> { (float[])env.Reset(0).Observation.Clone() };
        for (int i = 0; i < 3; i++) seen.Add((float[])env.Step(0).Observation.Clone());
        Assert.That(seen[0], Is.EqualTo(new[] { 0f, 0f }));
        Assert.That(seen[1], Is.EqualTo(new[] { 0.9999499917030334f, 1.0000250339508057f }).Within(1e-6));
        Assert.That(seen[2], Is.EqualTo(new[] { 1.2247449159622192f, 1.224767804145813f }).Within(1e-6));
        Assert.That(seen[3], Is.EqualTo(new[] { 1.3416475057601929f, 1.3416575193405151f }).Within(1e-6));
        var stats = env.Statistics;
        Assert.That(stats.Mean, Is.EqualTo(new[] { 1.4999625009374766, 2.9999250018749533 }).Within(1e-12));
        Assert.That(stats.Var, Is.EqualTo(new[] { 1.2500499973438517, 5.00012499125036 }).Within(1e-12));
        Assert.That(stats.Count, Is.EqualTo(4.0001).Within(1e-12));
    }

    [Test]
    public void NormalizeObservationStatisticsRestoreAndFreeze()
    {
        var a = new NormalizeObservation<int>(new ObsRamp());
        a.Reset(0);
        a.Step(0);
        a.Step(0);
        var b = new NormalizeObservation<int>(new ObsRamp()) { Statistics = a.Statistics, UpdateRunningMean = false };
        var saved = b.Statistics;
        float[] obs = b.Reset(0).Observation;
        // Frozen statistics: (0 - mean) / sqrt(var + 1e-8), and nothing changes.
        Assert.That(obs[0], Is.EqualTo((float)(-saved.Mean[0] / Math.Sqrt(saved.Var[0] + 1e-8))));
        Assert.That(b.Statistics.Count, Is.EqualTo(saved.Count));
        Assert.Throws<ArgumentException>(() => b.Statistics = new RunningMeanStdState([0.0], [1.0], 1));
    }

    [Test]
    public void NormalizeRewardMatchesGymnasiumDiscountedReturnStatistics()
    {
        // numpy port of Gymnasium's NormalizeReward, rewards 1,2,3,4 with termination at the second step.
        var env = new NormalizeReward<float[], int>(new RewardScript([1, 2, 3, 4], terminateAt: 2), gamma: 0.99);
        env.Reset(0);
        double[] expected = [70.71421321062337, 3.9988005647001654, 1.7745451708029658, 1.2967294267890002];
        for (int i = 0; i < 4; i++) Assert.That(env.Step(0).Reward, Is.EqualTo(expected[i]).Within(1e-9), $"step {i}");
    }

    [Test]
    public void RecordEpisodeStatisticsReportsReturnAndLength()
    {
        var env = new RecordEpisodeStatistics<float[], int>(new ScriptedEnv(3), bufferLength: 2);
        for (int episode = 0; episode < 3; episode++)
        {
            env.Reset();
            StepResult<float[]> r = default;
            for (int i = 0; i < 3; i++) r = env.Step(1);
            var stats = (EpisodeStatistics)r.Info["episode"]!;
            Assert.That(stats.Return, Is.EqualTo(1 + 2 + 3));
            Assert.That(stats.Length, Is.EqualTo(3));
        }
        Assert.That(env.Episodes.Count, Is.EqualTo(2), "the buffer keeps the last 2");
        Assert.That(env.EpisodeCount, Is.EqualTo(3));
    }

    [Test]
    public void ClipActionClipsIntoTheBox()
    {
        var pendulum = new Pendulum();
        var env = new ClipAction<float[]>(pendulum);
        env.Reset(0);
        pendulum.State = [0, 0];
        env.Step([5f]);
        Assert.That(pendulum.LastTorque, Is.EqualTo(2f));
        Assert.That(((Box)env.ActionSpace).High[0], Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void RescaleActionMapsAffinelyOntoTheBounds()
    {
        var pendulum = new Pendulum();
        var env = new RescaleAction<float[]>(pendulum, 0, 1);
        env.Reset(0);
        // Pendulum's torque box is [-2, 2]: 0 -> -2, 0.25 -> -1, 1 -> 2, 1.5 -> clipped to 2.
        (float a, float torque)[] cases = [(0f, -2f), (0.25f, -1f), (1f, 2f), (1.5f, 2f)];
        foreach (var (a, torque) in cases)
        {
            env.Step([a]);
            Assert.That(pendulum.LastTorque, Is.EqualTo(torque), $"action {a}");
        }
        Assert.That(((Box)env.ActionSpace).Low[0], Is.EqualTo(0));
    }

    [Test]
    public void TransformObservationAndRewardApplyTheirFunctions()
    {
        var env = new TransformReward<double, int>(
            new TransformObservation<double, int, float[]>(new ScriptedEnv(5), o => o[0] * 10.0, new Box(0, 10000, [1], BoxDType.Float64)),
            r => r * -2);
        Assert.That(env.Reset().Observation, Is.EqualTo(0.0));
        var s = env.Step(0);
        Assert.That(s.Observation, Is.EqualTo(10.0));
        Assert.That(s.Reward, Is.EqualTo(-2.0));
    }

    [Test]
    public void FlattenObservationOneHotsDiscreteObservations()
    {
        var env = new FlattenObservation<int, int>(new DiscreteObsEnv());
        Assert.That(env.Reset().Observation, Is.EqualTo(new[] { 1f, 0f, 0f }));
        Assert.That(env.Step(0).Observation, Is.EqualTo(new[] { 0f, 1f, 0f }));
        Assert.That(((Box)env.ObservationSpace).Size, Is.EqualTo(3));
    }

    [Test]
    public void FrameStackKeepsTheLastFramesOldestFirst()
    {
        var env = new FrameStackObservation<float, int>(new ScriptedEnv(10), 3);
        Assert.That(env.Reset().Observation, Is.EqualTo(new float[] { 0, 1, 0, 1, 0, 1 }), "reset padding repeats the first frame");
        env.Step(0);
        Assert.That(env.Step(0).Observation, Is.EqualTo(new float[] { 0, 1, 1, 1, 2, 1 }));
        Assert.That(env.ObservationSpace.Shape, Is.EqualTo(new[] { 3, 2 }));
        var zero = new FrameStackObservation<float, int>(new ScriptedEnv(10), 2, FramePadding.Zero);
        Assert.That(zero.Reset().Observation, Is.EqualTo(new float[] { 0, 0, 0, 1 }));
    }

    [Test]
    public void TimeLimitTruncatesAndOrderEnforcingRejectsEarlyStep()
    {
        var env = new TimeLimit<float[], int>(new OrderEnforcing<float[], int>(new ScriptedEnv(100)), 2);
        var ex = Assert.Throws<InvalidOperationException>(() => env.Step(0));
        Assert.That(ex!.Message, Does.Contain("before calling Reset"));
        env.Reset();
        Assert.That(env.Step(0).Truncated, Is.False);
        Assert.That(env.Step(0).Truncated, Is.True);
        Assert.That(env.FindWrapper<OrderEnforcing<float[], int>>(), Is.Not.Null);
    }

    /// <summary>Observation [t, 2t].</summary>
    private sealed class ObsRamp : Env<float[], int>
    {
        private readonly float[] obs = new float[2];
        private int t;

        public override Space ObservationSpace { get; } = new Box(-100, 100, [2]);

        public override Space ActionSpace { get; } = new Discrete(1);

        protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
        {
            t = 0;
            obs[0] = obs[1] = 0;
            return (obs, Info.Empty);
        }

        public override StepResult<float[]> Step(int action)
        {
            t++;
            obs[0] = t;
            obs[1] = 2 * t;
            return new StepResult<float[]>(obs, 0, false, false, Info.Empty);
        }
    }

    /// <summary>Rewards from a script; terminated at the given (1-based) step.</summary>
    private sealed class RewardScript(double[] rewards, int terminateAt) : Env<float[], int>
    {
        private readonly float[] obs = new float[1];
        private int t;

        public override Space ObservationSpace { get; } = new Box(0, 1, [1]);

        public override Space ActionSpace { get; } = new Discrete(1);

        protected override (float[] Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
        {
            t = 0;
            return (obs, Info.Empty);
        }

        public override StepResult<float[]> Step(int action)
        {
            t++;
            return new StepResult<float[]>(obs, rewards[t - 1], t == terminateAt, false, Info.Empty);
        }
    }

    /// <summary>Discrete(3) observations counting 0, 1, 2, 0, ...</summary>
    private sealed class DiscreteObsEnv : Env<int, int>
    {
        private int t;

        public override Space ObservationSpace { get; } = new Discrete(3);

        public override Space ActionSpace { get; } = new Discrete(1);

        protected override (int Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options)
        {
            t = 0;
            return (0, Info.Empty);
        }

        public override StepResult<int> Step(int action) => new(++t % 3, 0, false, false, Info.Empty);
    }
}
