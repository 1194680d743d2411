using System.Text.Json;
using RlPlat.Environments.ClassicControl;

namespace RlPlat.Environments.Tests.ClassicControl;

/// <summary>
/// Every env against Gymnasium 1.4.0's recorded trajectories: (a) from each recorded state, one step with the
/// recorded action gives the recorded next state, observation, reward and flags; (b) seeded resets give the
/// recorded initial states; (c) the whole protocol replayed through Gym.Make (seeded resets, TimeLimit) matches.
/// </summary>
public class ReferenceTrajectoryTests
{
    // Per-step tolerance: libm's sin/cos may differ from numpy's in the last ulp; nothing accumulates across steps.
    private const double StateTolerance = 1e-12;

    private static readonly string[] EnvIds = ["CartPole-v1", "MountainCar-v0", "Pendulum-v1", "Acrobot-v1"];

    private static IEnumerable<ReferenceRun> Runs() => EnvIds.SelectMany(ReferenceTrajectories.For);

    [TestCaseSource(nameof(Runs))]
    public void EachStepFromTheRecordedStateMatches(ReferenceRun run)
    {
        IEnv env = Gym.Make(run.EnvId).UnwrappedEnv;
        env.ResetObject(0);
        double[] previous = run.InitialReset.State;
        foreach (var step in run.Steps)
        {
            SetState(env, previous);
            StepResult<object> r = env.StepObject(Action(step.Action));
            string where = $"{run} t={step.T}";
            Assert.That(GetState(env), Is.EqualTo(step.State).Within(StateTolerance), where + " state");
            Assert.That(ToDoubles((float[])r.Observation), Is.EqualTo(step.Obs).Within(1e-6), where + " obs");
            Assert.That(r.Reward, Is.EqualTo(step.Reward).Within(1e-9), where + " reward");
            Assert.That(r.Terminated, Is.EqualTo(step.Terminated), where + " terminated");
            previous = step.State;
            if (step.ResetAfter != null)
            {
                env.ResetObject(step.ResetAfter.Seed);
                previous = step.ResetAfter.State;
            }
        }
    }

    [TestCaseSource(nameof(Runs))]
    public void SeededResetsReproduceRecordedInitialStates(ReferenceRun run)
    {
        IEnv env = Gym.Make(run.EnvId);
        var resets = new[] { run.InitialReset }.Concat(run.Steps.Where(s => s.ResetAfter != null).Select(s => s.ResetAfter!));
        foreach (var reset in resets)
        {
            var (obs, _) = env.ResetObject(reset.Seed);
            // The reset state is drawn by numpy-exact PCG64 and stored as float64 (Acrobot: float32): bit-exact.
            Assert.That(GetState(env.UnwrappedEnv), Is.EqualTo(reset.State), $"{run} reset seed {reset.Seed} state");
            Assert.That(ToDoubles((float[])obs), Is.EqualTo(reset.Obs).Within(1e-7), $"{run} reset seed {reset.Seed} obs");
        }
    }

    [TestCaseSource(nameof(Runs))]
    public void TheWholeProtocolReplaysThroughMake(ReferenceRun run)
    {
        IEnv env = Gym.Make(run.EnvId);
        var (obs, _) = env.ResetObject(run.Seed);
        Assert.That(ToDoubles((float[])obs), Is.EqualTo(run.InitialReset.Obs));
        foreach (var step in run.Steps)
        {
            var r = env.StepObject(Action(step.Action));
            string where = $"{run} t={step.T}";
            Assert.That(ToDoubles((float[])r.Observation), Is.EqualTo(step.Obs).Within(1e-5), where + " obs");
            Assert.That(r.Terminated, Is.EqualTo(step.Terminated), where + " terminated");
            Assert.That(r.Truncated, Is.EqualTo(step.Truncated), where + " truncated");
            if (r.Terminated || r.Truncated) env.ResetObject(run.Seed + 100);
        }
    }

    [Test]
    public void CartPoleSeed42ResetMatchesGymnasium()
    {
        var env = new CartPole();
        var (obs, _) = env.Reset(42);
        Assert.That(obs, Is.EqualTo(new[] { 0.0273956f, -0.00611216f, 0.03585979f, 0.0197368f }).Within(1e-7));
    }

    internal static object Action(JsonElement a) =>
        a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray() : a.GetInt32();

    internal static double[] ToDoubles(float[] x) => x.Select(v => (double)v).ToArray();

    internal static double[] GetState(IEnv env) => env switch
    {
        CartPole c => c.State,
        MountainCar m => m.State,
        Pendulum p => p.State,
        Acrobot a => a.State,
        _ => throw new ArgumentException(env.GetType().Name),
    };

    internal static void SetState(IEnv env, double[] state)
    {
        switch (env)
        {
            case CartPole c: c.State = state; break;
            case MountainCar m: m.State = state; break;
            case Pendulum p: p.State = state; break;
            case Acrobot a: a.State = state; break;
            default: throw new ArgumentException(env.GetType().Name);
        }
    }
}
