using RlPlat.Environments.ClassicControl;
using RlPlat.Environments.Wrappers;

namespace RlPlat.Environments.Tests.Registry;

public class GymTests
{
    [TestCase("CartPole-v0", 200, 195.0)]
    [TestCase("CartPole-v1", 500, 475.0)]
    [TestCase("MountainCar-v0", 200, -110.0)]
    [TestCase("MountainCarContinuous-v0", 999, 90.0)]
    [TestCase("Pendulum-v1", 200, null)]
    [TestCase("Acrobot-v1", 500, -100.0)]
    public void SpecsHaveGymnasiumStepLimitsAndThresholds(string id, int steps, double? threshold)
    {
        var spec = Gym.Spec(id);
        Assert.That(spec.MaxEpisodeSteps, Is.EqualTo(steps));
        Assert.That(spec.RewardThreshold, Is.EqualTo(threshold));
    }

    [Test]
    public void MakeAppliesTheDefaultStackOutermostTimeLimit()
    {
        IEnv env = Gym.Make("CartPole-v1");
        Assert.That(env, Is.InstanceOf<TimeLimit<float[], int>>());
        var inner = ((IWrapper)env).InnerEnv;
        Assert.That(inner, Is.InstanceOf<OrderEnforcing<float[], int>>());
        Assert.That(((IWrapper)inner).InnerEnv, Is.InstanceOf<PassiveEnvChecker<float[], int>>());
        Assert.That(env.UnwrappedEnv, Is.InstanceOf<CartPole>());
        Assert.That(env.Spec!.Id, Is.EqualTo("CartPole-v1"));
        Assert.That(Gym.Make("CartPole-v1", disableEnvChecker: true).FindWrapper<PassiveEnvChecker<float[], int>>(), Is.Null);
    }

    [Test]
    public void CartPoleV0TruncatesAt200Steps()
    {
        var env = Gym.Make<float[], int>("CartPole-v0");
        env.Reset(0);
        var cart = (CartPole)env.UnwrappedEnv;
        int steps = 0;
        StepResult<float[]> r;
        do
        {
            cart.State = [0, 0, 0, 0]; // hold the pole upright so only the time limit can end the episode
            r = env.Step(steps % 2);
            steps++;
        } while (!r.Done);
        Assert.That(steps, Is.EqualTo(200));
        Assert.That(r.Truncated && !r.Terminated, Is.True);
    }

    [Test]
    public void KwargsReachTheEnvAndUnknownOnesAreRejected()
    {
        var pendulum = (Pendulum)Gym.Make("Pendulum-v1", new Dictionary<string, object?> { ["g"] = 9.81 }).UnwrappedEnv;
        Assert.That(pendulum.G, Is.EqualTo(9.81));
        var ex = Assert.Throws<ArgumentException>(() => Gym.Make("Pendulum-v1", new Dictionary<string, object?> { ["gravity"] = 1 }));
        Assert.That(ex!.Message, Does.Contain("gravity"));
        var sb = (CartPole)Gym.Make("CartPole-v1", new Dictionary<string, object?> { ["sutton_barto_reward"] = true }).UnwrappedEnv;
        Assert.That(sb.SuttonBartoReward, Is.True);
    }

    [Test]
    public void UnknownIdListsTheRegisteredOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gym.Make("CartPol-v1"));
        Assert.That(ex!.Message, Does.Contain("CartPol-v1").And.Contain("CartPole-v1"));
    }

    [Test]
    public void RegisterAddsAUserEnvWithItsTimeLimit()
    {
        Gym.Register("Scripted-v0", _ => new ScriptedEnv(1000), maxEpisodeSteps: 3);
        var env = Gym.Make<float[], int>("Scripted-v0");
        env.Reset();
        env.Step(0);
        env.Step(0);
        Assert.That(env.Step(0).Truncated, Is.True);
        var ex = Assert.Throws<ArgumentException>(() => Gym.Make<byte[], int>("Scripted-v0"));
        Assert.That(ex!.Message, Does.Contain("Single[]"));
    }

    [Test]
    public void MaxEpisodeStepsOverridesTheSpec()
    {
        var env = (TimeLimit<float[], int>)Gym.Make("CartPole-v1", maxEpisodeSteps: 7);
        Assert.That(env.MaxEpisodeSteps, Is.EqualTo(7));
    }
}
