using System.Diagnostics;
using System.Globalization;
using RlPlat.Environments;
using RlPlat.Environments.Vector;

// Env steps per second through Gym.Make's default stack (PassiveEnvChecker, OrderEnforcing, TimeLimit), resetting
// when an episode ends, with actions drawn up front so both sides time only the env. Prints one line per case:
// "<env> <mode> <steps/s> <bytes allocated per step>", the format benchmarks/envs.sh reads.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
double seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2.0;

Discrete("CartPole-v1");
Continuous("Pendulum-v1", 1);
Continuous("CarSensors-v0", 2);
return;

void Discrete(string id)
{
    var actions = Actions(id, 1 << 16, rng => (int)rng.Integers(0, 2));
    var env = Gym.Make<float[], int>(id);
    env.Reset(0);
    Report(id, "single", Time(n =>
    {
        for (int i = 0; i < n; i++)
            if (env.Step(actions[i & 0xFFFF]).Done) env.Reset();
    }, 1));
    foreach (var mode in new[] { VectorizationMode.Sync, VectorizationMode.Threaded })
    {
        using var venv = Gym.MakeVec<float, int>(id, 8, mode);
        venv.Reset(0);
        var batch = new int[8];
        Report(id, mode == VectorizationMode.Sync ? "sync-vec8" : "threaded-vec8", Time(n =>
        {
            for (int i = 0; i < n; i++)
            {
                for (int e = 0; e < 8; e++) batch[e] = actions[(i * 8 + e) & 0xFFFF];
                venv.Step(batch);
            }
        }, 8));
    }
}

void Continuous(string id, int dims)
{
    var pool = Actions(id, 1 << 12, rng =>
    {
        var a = new float[dims];
        for (int d = 0; d < dims; d++) a[d] = (float)rng.Uniform(d == 0 && dims == 1 ? -2 : -1, d == 0 && dims == 1 ? 2 : 1);
        return a;
    });
    var env = Gym.Make<float[], float[]>(id);
    env.Reset(0);
    Report(id, "single", Time(n =>
    {
        for (int i = 0; i < n; i++)
            if (env.Step(pool[i & 0xFFF]).Done) env.Reset();
    }, 1));
    foreach (var mode in new[] { VectorizationMode.Sync, VectorizationMode.Threaded })
    {
        using var venv = Gym.MakeVec<float, float[]>(id, 8, mode);
        venv.Reset(0);
        var batch = new float[8][];
        Report(id, mode == VectorizationMode.Sync ? "sync-vec8" : "threaded-vec8", Time(n =>
        {
            for (int i = 0; i < n; i++)
            {
                for (int e = 0; e < 8; e++) batch[e] = pool[(i * 8 + e) & 0xFFF];
                venv.Step(batch);
            }
        }, 8));
    }
}

T[] Actions<T>(string id, int count, Func<NpRandom, T> draw)
{
    var rng = new NpRandom(1234);
    var a = new T[count];
    for (int i = 0; i < count; i++) a[i] = draw(rng);
    return a;
}

// Calibrates the iteration count to about `seconds`, then measures once; returns env steps/s and bytes per env step.
(double StepsPerSecond, double BytesPerStep) Time(Action<int> run, int envStepsPerIteration)
{
    run(1000); // JIT and first-step checks
    int n = 1000;
    var sw = Stopwatch.StartNew();
    run(n);
    while (sw.Elapsed.TotalSeconds < 0.2)
    {
        n *= 2;
        sw.Restart();
        run(n);
    }
    n = (int)Math.Max(1000, n * seconds / sw.Elapsed.TotalSeconds);
    long allocated = GC.GetAllocatedBytesForCurrentThread();
    sw.Restart();
    run(n);
    sw.Stop();
    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
    double steps = (double)n * envStepsPerIteration;
    return (steps / sw.Elapsed.TotalSeconds, allocated / steps);
}

void Report(string id, string mode, (double StepsPerSecond, double BytesPerStep) r) =>
    Console.WriteLine($"{id} {mode} {r.StepsPerSecond:F0} {r.BytesPerStep:F3}");
