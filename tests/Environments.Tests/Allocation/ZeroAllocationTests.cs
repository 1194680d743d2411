using RlPlat.Environments.Vector;

namespace RlPlat.Environments.Tests.Allocation;

/// <summary>Stepping allocates nothing: a correctness property (buffers are owned and reused), not a timing.</summary>
public class ZeroAllocationTests
{
    [TestCase("CartPole-v1")]
    [TestCase("MountainCar-v0")]
    [TestCase("Acrobot-v1")]
    public void DiscreteEnvStepsThroughTheDefaultStackAllocateNothing(string id)
    {
        var env = Gym.Make<float[], int>(id);
        env.Reset(0);
        Run(env, 200); // warm up: JIT, first-step checks
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(env, 5000);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }

    [TestCase("Pendulum-v1")]
    [TestCase("MountainCarContinuous-v0")]
    public void ContinuousEnvStepsAllocateNothing(string id)
    {
        var env = Gym.Make<float[], float[]>(id);
        env.Reset(0);
        float[] action = [0.3f];
        for (int i = 0; i < 200; i++) if (env.Step(action).Done) env.Reset();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++) if (env.Step(action).Done) env.Reset();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }

    [Test]
    public void SyncVectorEnvStepsWithAutoresetAllocateNothing()
    {
        using var venv = Gym.MakeVec<float, int>("CartPole-v1", 8);
        venv.Reset(0);
        var actions = new int[8];
        for (int t = 0; t < 200; t++) Step(venv, actions, t);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 3000; t++) Step(venv, actions, t);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }

    private static void Step(VectorEnv<float, int> venv, int[] actions, int t)
    {
        for (int i = 0; i < actions.Length; i++) actions[i] = (t + i) % 3 == 0 ? 0 : 1;
        venv.Step(actions);
    }

    private static void Run(IEnv<float[], int> env, int steps)
    {
        for (int i = 0; i < steps; i++)
            if (env.Step(i % 3 == 0 ? 0 : i % 2).Done) env.Reset();
    }
}
