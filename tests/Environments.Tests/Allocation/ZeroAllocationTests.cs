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

    [Test]
    public void ThreadedVectorEnvStepsAllocateNothingOnAnyThread()
    {
        var factories = Enumerable.Range(0, 8).Select(_ => (Func<IEnv<float[], int>>)(() => Gym.Make<float[], int>("CartPole-v1"))).ToArray();
        using var venv = new ThreadedVectorEnv<float, int>(factories, AutoresetMode.NextStep, threads: 2);
        venv.Reset(0);
        var actions = new int[8];
        for (int t = 0; t < 200; t++) Step(venv, actions, t);
        // The barrier's wait primitives allocate their lock objects the first time a thread really blocks, which on a
        // loaded machine can happen after any warm-up; a per-step allocation would show in every window, so one clean
        // 1000-step window proves there is none.
        var windows = new List<(long Main, long Workers)>();
        for (int w = 0; w < 5 && (windows.Count == 0 || windows[^1] != (0, 0)); w++)
        {
            long main = GC.GetAllocatedBytesForCurrentThread(), workers = venv.WorkerAllocatedBytes;
            for (int t = 0; t < 1000; t++) Step(venv, actions, t);
            windows.Add((GC.GetAllocatedBytesForCurrentThread() - main, venv.WorkerAllocatedBytes - workers));
        }
        Assert.That(windows[^1], Is.EqualTo((0L, 0L)), "bytes on the calling and worker threads over 1000 steps: " + string.Join(", ", windows));
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
