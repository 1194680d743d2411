using RlPlat.Environments.ClassicControl;
using RlPlat.Environments.Vector;

namespace RlPlat.Environments.Tests.Vector;

[TestFixture(VectorizationMode.Sync)]
[TestFixture(VectorizationMode.Threaded)]
public class VectorEnvTests(VectorizationMode mode)
{
    private VectorEnv<float, int> Make(AutoresetMode autoreset, params int[] lengths)
    {
        var factories = lengths.Select(n => (Func<IEnv<float[], int>>)(() => new ScriptedEnv(n))).ToArray();
        return mode == VectorizationMode.Sync
            ? new SyncVectorEnv<float, int>(factories, autoreset)
            : new ThreadedVectorEnv<float, int>(factories, autoreset, threads: 2);
    }

    [Test]
    public void ResetSeedsSubEnvIWithSeedPlusI()
    {
        using var venv = Make(AutoresetMode.NextStep, 5, 5, 5);
        var (obs, infos) = venv.Reset(seed: 10);
        Assert.That(venv.Envs.Select(e => ((ScriptedEnv)e).Seeds[0]), Is.EqualTo(new int?[] { 10, 11, 12 }));
        Assert.That(obs, Is.EqualTo(new float[] { 0, 1, 0, 1, 0, 1 }));
        Assert.That(infos[2]["reset"], Is.EqualTo(1));
        Assert.That(venv.ObservationSpace.Shape, Is.EqualTo(new[] { 3, 2 }));
    }

    [Test]
    public void NextStepAutoresetResetsOnTheStepAfterTheEpisodeEnds()
    {
        using var venv = Make(AutoresetMode.NextStep, 2, 3);
        venv.Reset(seed: 0);
        // Rows are [t, resets]; sub-env 0 ends at t=2, sub-env 1 at t=3.
        var s1 = venv.Step([1, 1]);
        Assert.That(s1.Observations, Is.EqualTo(new float[] { 1, 1, 1, 1 }));
        var s2 = venv.Step([1, 1]);
        Assert.That(s2.Observations, Is.EqualTo(new float[] { 2, 1, 2, 1 }));
        Assert.That(s2.Rewards, Is.EqualTo(new double[] { 2, 2 }));
        Assert.That(s2.Terminated, Is.EqualTo(new[] { true, false }));
        var s3 = venv.Step([0, 0]);
        // Sub-env 0 is reset (its action is not applied): reset observation, reward 0, flags false.
        Assert.That(s3.Observations, Is.EqualTo(new float[] { 0, 2, 3, 1 }));
        Assert.That(s3.Rewards, Is.EqualTo(new double[] { 0, 3 }));
        Assert.That(s3.Terminated, Is.EqualTo(new[] { false, true }));
        Assert.That(s3.Infos[0]["reset"], Is.EqualTo(2));
        var s4 = venv.Step([1, 1]);
        Assert.That(s4.Observations, Is.EqualTo(new float[] { 1, 2, 0, 2 }));
        Assert.That(s4.Rewards, Is.EqualTo(new double[] { 1, 0 }));
        Assert.That(((ScriptedEnv)venv.Envs[0]).Actions, Is.EqualTo(new[] { 1, 1, 1 }), "the action at the autoreset step was dropped");
    }

    [Test]
    public void SameStepAutoresetReturnsResetObservationAndFinalObservationInInfo()
    {
        using var venv = Make(AutoresetMode.SameStep, 2, 3);
        venv.Reset(seed: 0);
        venv.Step([1, 1]);
        var s2 = venv.Step([1, 1]);
        Assert.That(s2.Observations, Is.EqualTo(new float[] { 0, 2, 2, 1 }));
        Assert.That(s2.Rewards, Is.EqualTo(new double[] { 2, 2 }));
        Assert.That(s2.Terminated, Is.EqualTo(new[] { true, false }));
        Assert.That(s2.Infos[0]["final_obs"], Is.EqualTo(new float[] { 2, 1 }));
        Assert.That(s2.Infos[0]["final_info"], Is.SameAs(Info.Empty));
        Assert.That(s2.Infos[1], Is.SameAs(Info.Empty));
        var s3 = venv.Step([1, 1]);
        Assert.That(s3.Observations, Is.EqualTo(new float[] { 1, 2, 0, 2 }));
        Assert.That(s3.Rewards, Is.EqualTo(new double[] { 1, 3 }));
        Assert.That(s3.Terminated, Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void VectorCartPoleMatchesIndependentEnvsSeededSeedPlusI()
    {
        using var venv = Gym.MakeVec<float, int>("CartPole-v1", 4, mode);
        var singles = Enumerable.Range(0, 4).Select(_ => Gym.Make<float[], int>("CartPole-v1")).ToArray();
        var (obs, _) = venv.Reset(seed: 3);
        for (int i = 0; i < 4; i++) Assert.That(obs[(i * 4)..(i * 4 + 4)], Is.EqualTo(singles[i].Reset(3 + i).Observation));
        var actions = new int[4];
        var rng = new NpRandom(1);
        bool[] pending = new bool[4];
        for (int t = 0; t < 300; t++)
        {
            for (int i = 0; i < 4; i++) actions[i] = (int)rng.Integers(0, 2);
            var r = venv.Step(actions);
            for (int i = 0; i < 4; i++)
            {
                float[] expected;
                if (pending[i])
                {
                    expected = singles[i].Reset().Observation;
                    pending[i] = false;
                }
                else
                {
                    var s = singles[i].Step(actions[i]);
                    expected = s.Observation;
                    pending[i] = s.Done;
                    Assert.That(r.Terminated[i], Is.EqualTo(s.Terminated));
                }
                Assert.That(r.Observations[(i * 4)..(i * 4 + 4)], Is.EqualTo(expected), $"t={t} env {i}");
            }
        }
    }

    [Test]
    public void StepBeforeResetAndWrongActionCountAreRejected()
    {
        using var venv = Make(AutoresetMode.NextStep, 2, 2);
        Assert.Throws<InvalidOperationException>(() => venv.Step([0, 0]));
        venv.Reset();
        var ex = Assert.Throws<ArgumentException>(() => venv.Step([0]));
        Assert.That(ex!.Message, Does.Contain("1 actions for 2 envs"));
    }

    [Test]
    public void ASubEnvFailureSurfacesWithItsMessage()
    {
        using var venv = Make(AutoresetMode.NextStep, 2, 2);
        venv.Reset();
        var ex = Assert.Throws(Is.InstanceOf<Exception>(), () => venv.Step([0, 7]));
        Assert.That(ex!.ToString(), Does.Contain("7"));
    }
}
