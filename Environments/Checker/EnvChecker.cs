namespace RlPlat.Environments;

/// <summary>What <see cref="EnvChecker.Check"/> found that is suspicious but not an error.</summary>
public sealed record EnvCheckReport(IReadOnlyList<string> Warnings);

/// <summary>
/// Gymnasium's <c>check_env</c>: checks an env's spaces, reset/step results, seeding determinism, that observations
/// lie in the observation space, and rendering. Errors throw <see cref="InvalidOperationException"/> naming what failed;
/// softer findings come back as warnings. The env is reset and stepped (it is left mid-episode).
/// </summary>
public static class EnvChecker
{
    /// <summary>Checks <paramref name="env"/> (a fresh instance is best: it will be reset and stepped).</summary>
    public static EnvCheckReport Check(IEnv env, bool skipRenderCheck = false, int steps = 20)
    {
        var warnings = new List<string>();
        string name = env.Spec?.Id ?? env.ToString() ?? env.GetType().Name;
        Space obsSpace = env.ObservationSpace ?? throw Fail(name, "the observation space is null");
        Space actSpace = env.ActionSpace ?? throw Fail(name, "the action space is null");
        CheckSpace(name, "observation", obsSpace, warnings);
        CheckSpace(name, "action", actSpace, warnings);

        // Seeded action sampling is reproducible.
        actSpace.Seed(123);
        float[] a1 = Spaces.Flatten(actSpace, actSpace.SampleObject());
        actSpace.Seed(123);
        float[] a2 = Spaces.Flatten(actSpace, actSpace.SampleObject());
        if (!a1.AsSpan().SequenceEqual(a2)) throw Fail(name, "the action space gives different samples after the same Seed(123)");

        // Reset results, and seeding determinism of reset and of the following steps.
        var first = Rollout(env, name, obsSpace, actSpace, steps, warnings);
        var second = Rollout(env, name, obsSpace, actSpace, steps, warnings);
        for (int t = 0; t < first.Count; t++)
        {
            if (t >= second.Count || !first[t].Obs.AsSpan().SequenceEqual(second[t].Obs) || first[t].Reward != second[t].Reward)
                throw Fail(name, t == 0
                    ? "Reset(seed: 42) twice gave different observations: seeding is not deterministic"
                    : $"the same seed and actions gave different results at step {t}: the env is not deterministic under seeding");
        }
        if (env.Spec?.Nondeterministic == true) warnings.Add("The spec says the env is nondeterministic, yet seeded rollouts matched.");

        var (obs0, _) = env.ResetObject(43);
        float[] other = Spaces.Flatten(obsSpace, obs0);
        if (other.AsSpan().SequenceEqual(first[0].Obs)) warnings.Add("Reset(seed: 42) and Reset(seed: 43) gave the same observation: is the seed used?");

        if (!skipRenderCheck && env.RenderModes.Contains("rgb_array"))
        {
            RenderFrame? frame = env.Render();
            if (frame != null && (frame.Height <= 0 || frame.Width <= 0 || frame.Pixels.Length != frame.Height * frame.Width * 3))
                throw Fail(name, $"Render() returned a {frame.Height}x{frame.Width} frame with {frame.Pixels.Length} bytes (expected height*width*3)");
            if (frame == null) warnings.Add("RenderModes lists rgb_array but Render() returned null.");
        }
        return new EnvCheckReport(warnings);
    }

    private sealed record Record(float[] Obs, double Reward);

    private static List<Record> Rollout(IEnv env, string name, Space obsSpace, Space actSpace, int steps, List<string> warnings)
    {
        var records = new List<Record>();
        var (obs, info) = env.ResetObject(42);
        if (info == null) throw Fail(name, "Reset returned a null info");
        CheckObservation(name, "Reset", obs, obsSpace);
        records.Add(new Record(Spaces.Flatten(obsSpace, obs), 0));
        actSpace.Seed(7);
        for (int t = 1; t <= steps; t++)
        {
            var r = env.StepObject(actSpace.SampleObject());
            if (r.Info == null) throw Fail(name, $"Step {t} returned a null info");
            CheckObservation(name, $"Step {t}", r.Observation, obsSpace);
            if (double.IsNaN(r.Reward) || double.IsInfinity(r.Reward)) throw Fail(name, $"Step {t} returned a non-finite reward {r.Reward}");
            records.Add(new Record(Spaces.Flatten(obsSpace, r.Observation), r.Reward));
            if (r.Done) break;
        }
        if (records.Count == 1) warnings.Add("The episode ended at its first step.");
        return records;
    }

    private static void CheckObservation(string name, string where, object? obs, Space space)
    {
        if (obs == null) throw Fail(name, $"{where} returned a null observation");
        if (!space.ContainsObject(obs))
            throw Fail(name, $"{where} returned an observation ({obs.GetType().Name}{Describe(obs)}) outside the observation space {space}");
    }

    private static void CheckSpace(string name, string which, Space space, List<string> warnings)
    {
        if (space is Box box)
        {
            for (int i = 0; i < box.Size; i++)
                if (box.Low[i] == box.High[i]) warnings.Add($"The {which} space {box} has low == high in dimension {i}.");
            if (which == "action" && box.DType == BoxDType.Float32 && box.IsBounded)
                for (int i = 0; i < box.Size; i++)
                    if (box.Low[i] != -box.High[i]) { warnings.Add($"The action space {box} is not symmetric; agents usually expect [-1, 1]."); break; }
        }
        else if (space is not (Discrete or MultiDiscrete or MultiBinary or DictSpace or TupleSpace))
            throw Fail(name, $"the {which} space is a {space.GetType().Name}, which cannot be flattened");
    }

    private static string Describe(object obs) => obs is Array a ? $"[{a.Length}]" : $" {obs}";

    private static InvalidOperationException Fail(string name, string what) => new($"EnvChecker({name}): {what}.");
}
