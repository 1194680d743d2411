using System.Text.Json;

namespace RlPlat.Environments.Tests.ClassicControl;

/// <summary>One recorded Gymnasium 1.4.0 run (see Reference/classic_control_trajectories.json's schema).</summary>
public sealed record ReferenceReset(int Seed, double[] Obs, double[] State);

/// <summary>One recorded step: the action, what followed it, and the reset done after it (if the episode ended).</summary>
public sealed record ReferenceStep(int T, JsonElement Action, double[] Obs, double Reward, bool Terminated, bool Truncated, double[] State, ReferenceReset? ResetAfter);

/// <summary>A seed's 200-step run.</summary>
public sealed record ReferenceRun(string EnvId, int Seed, ReferenceReset InitialReset, ReferenceStep[] Steps)
{
    public override string ToString() => $"{EnvId} seed {Seed}";
}

/// <summary>Loads the reference trajectories copied next to the test assembly.</summary>
public static class ReferenceTrajectories
{
    private static readonly Lazy<ReferenceRun[]> All = new(Load);

    public static IEnumerable<ReferenceRun> For(string envId) => All.Value.Where(r => r.EnvId == envId);

    private static ReferenceRun[] Load()
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Reference", "classic_control_trajectories.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var runs = new List<ReferenceRun>();
        foreach (var env in doc.RootElement.GetProperty("envs").EnumerateObject())
            foreach (var run in env.Value.GetProperty("runs").EnumerateArray())
            {
                var steps = run.GetProperty("steps").EnumerateArray().Select(s => new ReferenceStep(
                    s.GetProperty("t").GetInt32(), s.GetProperty("action").Clone(), Doubles(s.GetProperty("obs")), s.GetProperty("reward").GetDouble(),
                    s.GetProperty("terminated").GetBoolean(), s.GetProperty("truncated").GetBoolean(), Doubles(s.GetProperty("state")),
                    s.GetProperty("reset_after").ValueKind == JsonValueKind.Null ? null : Reset(s.GetProperty("reset_after")))).ToArray();
                runs.Add(new ReferenceRun(env.Name, run.GetProperty("seed").GetInt32(), Reset(run.GetProperty("initial_reset")), steps));
            }
        return runs.ToArray();
    }

    private static ReferenceReset Reset(JsonElement e) => new(e.GetProperty("seed").GetInt32(), Doubles(e.GetProperty("obs")), Doubles(e.GetProperty("state")));

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();
}
