using RlPlat.Environments.ClassicControl;

namespace RlPlat.Environments.Tests.ClassicControl;

/// <summary>Envs the reference file does not cover, against values derived by hand from Gymnasium's equations.</summary>
public class DerivedPhysicsTests
{
    [Test]
    public void MountainCarContinuousStepFollowsGymnasiumEquations()
    {
        var env = new MountainCarContinuous();
        env.Reset(0);
        env.State = [-0.5, 0.01];
        var r = env.Step([0.5f]);
        // velocity = 0.01 + 0.5 * 0.0015 - 0.0025 cos(-1.5); position = -0.5 + velocity; both stored as float32.
        double v = 0.01 + 0.5 * 0.0015 - 0.0025 * Math.Cos(-1.5);
        Assert.That(env.State, Is.EqualTo(new double[] { (float)(-0.5 + v), (float)v }));
        Assert.That(r.Reward, Is.EqualTo(-0.1 * 0.25).Within(1e-12));
        Assert.That(r.Terminated, Is.False);
    }

    [Test]
    public void MountainCarContinuousClipsForceAndPaysTheGoalBonus()
    {
        var env = new MountainCarContinuous();
        env.Reset(0);
        env.State = [0.44, 0.05];
        var r = env.Step([3f]);
        double v = Math.Min(0.05 + 1.0 * 0.0015 - 0.0025 * Math.Cos(3 * 0.44), 0.07);
        Assert.That(env.State[1], Is.EqualTo((double)(float)v));
        Assert.That(r.Terminated, Is.True);
        Assert.That(r.Reward, Is.EqualTo(100 - 0.1 * 9).Within(1e-9), "the penalty uses the unclipped action");
    }

    [Test]
    public void MountainCarContinuousStopsAtTheLeftWall()
    {
        var env = new MountainCarContinuous();
        env.Reset(0);
        env.State = [-1.19, -0.05];
        env.Step([-1f]);
        Assert.That(env.State, Is.EqualTo(new double[] { (float)-1.2, 0 }));
    }

    [Test]
    public void MountainCarContinuousSeededResetIsNumpyUniform()
    {
        var env = new MountainCarContinuous();
        var (obs, _) = env.Reset(0);
        double p = new NpRandom(0).Uniform(-0.6, -0.4);
        Assert.That(env.State, Is.EqualTo(new[] { p, 0.0 }));
        Assert.That(obs, Is.EqualTo(new[] { (float)p, 0f }));
    }

    [Test]
    public void CartPoleSuttonBartoRewardsAndStepsAfterTermination()
    {
        var env = new CartPole(suttonBartoReward: true);
        env.Reset(0);
        env.State = [0, 0, 0, 0];
        Assert.That(env.Step(1).Reward, Is.EqualTo(0.0));
        env.State = [2.39, 1, 0, 0];
        var r = env.Step(1);
        Assert.That(r.Terminated, Is.True);
        Assert.That(r.Reward, Is.EqualTo(-1.0));
        var plain = new CartPole();
        plain.Reset(0);
        plain.State = [2.39, 1, 0, 0];
        Assert.That(plain.Step(1).Reward, Is.EqualTo(1.0), "the terminating step still pays 1");
        Assert.That(plain.Step(1).Reward, Is.EqualTo(0.0), "stepping past termination pays 0");
    }

    [Test]
    public void CartPoleOneEulerStepFromRestMatchesHandDerivation()
    {
        var env = new CartPole();
        env.Reset(0);
        env.State = [0, 0, 0, 0];
        env.Step(1);
        // theta = 0: temp = 10/1.1, thetaacc = -temp / (0.5 (4/3 - 0.1/1.1)), xacc = temp - 0.05 thetaacc / 1.1.
        double temp = 10 / 1.1, thetaAcc = -temp / (0.5 * (4.0 / 3.0 - 0.1 / 1.1)), xAcc = temp - 0.05 * thetaAcc / 1.1;
        Assert.That(env.State, Is.EqualTo(new[] { 0, 0.02 * xAcc, 0, 0.02 * thetaAcc }).Within(1e-15));
    }

    [Test]
    public void PendulumAngleNormalizeUsesFloorModulo()
    {
        Assert.That(Pendulum.AngleNormalize(3 * Math.PI / 2), Is.EqualTo(-Math.PI / 2).Within(1e-15));
        Assert.That(Pendulum.AngleNormalize(-3 * Math.PI / 2), Is.EqualTo(Math.PI / 2).Within(1e-15));
        Assert.That(Pendulum.AngleNormalize(0.25), Is.EqualTo(0.25).Within(1e-15));
    }
}
