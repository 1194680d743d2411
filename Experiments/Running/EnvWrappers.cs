using System.Globalization;
using System.Reflection;
using RlPlat.Environments;
using RlPlat.Environments.Wrappers;
using RlPlat.Experiments.Config;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Applies an experiment's <c>wrappers</c> list to an env, in order, as Gymnasium's wrappers of the environments layer.
/// Wrappers are generic over the env's observation and action types, which are known only at run time, so each is
/// built with <see cref="Type.MakeGenericType"/>. A custom wrapper type needs a public constructor taking the env (and
/// optionally the args mapping).
/// </summary>
public static class EnvWrappers
{
    /// <summary>
    /// <paramref name="env"/> wrapped by <paramref name="wrappers"/>. For evaluation envs, wrappers that change rewards
    /// are left out so evaluation returns are in the env's own units.
    /// </summary>
    public static IEnv Apply(IEnv env, IReadOnlyList<WrapperSettings> wrappers, bool forEvaluation = false)
    {
        foreach (var w in wrappers)
            if (!(forEvaluation && WrapperTable.ChangesRewards(w.Name))) env = Wrap(env, w);
        return env;
    }

    /// <summary>
    /// Gives every <c>NormalizeObservation</c> of <paramref name="evaluation"/> the statistics of the matching one in
    /// <paramref name="training"/> and freezes it (Stable-Baselines3 syncs its eval VecNormalize the same way).
    /// </summary>
    public static void SyncObservationStatistics(IEnv training, IEnv evaluation)
    {
        var from = Normalizers(training);
        var to = Normalizers(evaluation);
        if (from.Count != to.Count) throw new InvalidOperationException($"the training env has {from.Count} NormalizeObservation wrapper(s), the evaluation env {to.Count}");
        for (int i = 0; i < from.Count; i++)
        {
            var statistics = from[i].GetType().GetProperty(nameof(NormalizeObservation<int>.Statistics))!;
            statistics.SetValue(to[i], statistics.GetValue(from[i]));
            to[i].GetType().GetProperty(nameof(NormalizeObservation<int>.UpdateRunningMean))!.SetValue(to[i], false);
        }
    }

    private static List<IEnv> Normalizers(IEnv env)
    {
        var found = new List<IEnv>();
        for (IEnv? e = env; e is not null; e = (e as IWrapper)?.InnerEnv)
            if (e.GetType().IsGenericType && e.GetType().GetGenericTypeDefinition() == typeof(NormalizeObservation<>)) found.Add(e);
        return found;
    }

    private static IEnv Wrap(IEnv env, WrapperSettings w)
    {
        var (obs, act) = TypesOf(env);
        var a = w.Args;
        return w.Name switch
        {
            "TimeLimit" => Make(typeof(TimeLimit<,>), [obs, act], env, Int(a, "max_episode_steps")),
            "RecordEpisodeStatistics" => Make(typeof(RecordEpisodeStatistics<,>), [obs, act], env, Int(a, "buffer_length")),
            "ClipAction" => Make(typeof(ClipAction<>), [Need(obs, w.Name, act == typeof(float[]), "Box (float[]) actions", obs, act)], env),
            "RescaleAction" => Make(typeof(RescaleAction<>), [Need(obs, w.Name, act == typeof(float[]), "Box (float[]) actions", obs, act)], env,
                Double(a, "min_action"), Double(a, "max_action")),
            "NormalizeObservation" => Make(typeof(NormalizeObservation<>), [Need(act, w.Name, obs == typeof(float[]), "float32 Box observations", obs, act)], env, Double(a, "epsilon")),
            "NormalizeReward" => Make(typeof(NormalizeReward<,>), [obs, act], env, Double(a, "gamma"), Double(a, "epsilon")),
            "ClipReward" => Make(typeof(TransformReward<,>), [obs, act], env, ClipReward(a)),
            "FlattenObservation" => Make(typeof(FlattenObservation<,>), [obs, act], env),
            "FrameStackObservation" => Make(typeof(FrameStackObservation<,>),
                [Need(obs.GetElementType() ?? obs, w.Name, obs.IsArray && obs.GetElementType()!.IsValueType, "array observations", obs, act), act], env,
                Int(a, "stack_size"), (string?)a["padding"] == "zero" ? FramePadding.Zero : FramePadding.Reset),
            _ => Custom(env, w),
        };
    }

    /// <summary>Gymnasium's ClipReward as a reward transform: rewards clamped into [min_reward, max_reward].</summary>
    private static Func<double, double> ClipReward(IReadOnlyDictionary<string, object?> a)
    {
        double lo = a["min_reward"] is null ? double.NegativeInfinity : Double(a, "min_reward");
        double hi = a["max_reward"] is null ? double.PositiveInfinity : Double(a, "max_reward");
        if (lo > hi) throw new ArgumentException($"ClipReward: min_reward {lo} is above max_reward {hi}");
        return r => Math.Clamp(r, lo, hi);
    }

    /// <summary>The observation and action types of a typed env (<c>IEnv&lt;TObs, TAction&gt;</c>).</summary>
    private static (Type Observation, Type Action) TypesOf(IEnv env)
    {
        foreach (var i in env.GetType().GetInterfaces())
            if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnv<,>))
            {
                var args = i.GetGenericArguments();
                return (args[0], args[1]);
            }
        throw new ArgumentException($"wrappers: env {env} does not implement IEnv<TObs, TAction>, so no typed wrapper fits it");
    }

    /// <summary><paramref name="keep"/> when the wrapper fits the env, else an error naming what it needs.</summary>
    private static Type Need(Type keep, string wrapper, bool fits, string needs, Type obs, Type act)
        => fits ? keep : throw new ArgumentException($"wrapper {wrapper} needs {needs}; this env is IEnv<{Name(obs)}, {Name(act)}>");

    private static string Name(Type t) => t.IsArray ? t.GetElementType()!.Name + "[]" : t.Name;

    private static IEnv Make(Type open, Type[] typeArgs, params object[] args)
    {
        try { return (IEnv)Activator.CreateInstance(open.MakeGenericType(typeArgs), args)!; }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static IEnv Custom(IEnv env, WrapperSettings w)
    {
        var type = CustomTypes.Find(w.Name, null, out var why)
            ?? throw new ArgumentException($"wrapper type '{w.Name}' was not found: {why}");
        object[] args;
        if (type.GetConstructors().FirstOrDefault(c => Fits(c, env, withArgs: true)) is { } withArgs) args = [env, w.Args];
        else if (type.GetConstructors().FirstOrDefault(c => Fits(c, env, withArgs: false)) is not null) args = [env];
        else throw new ArgumentException($"wrapper type '{w.Name}' needs a public constructor taking the env ({env.GetType().Name}) and optionally IReadOnlyDictionary<string, object?> args");
        if (!typeof(IEnv).IsAssignableFrom(type)) throw new ArgumentException($"wrapper type '{w.Name}' does not implement IEnv");
        try { return (IEnv)Activator.CreateInstance(type, args)!; }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static bool Fits(ConstructorInfo c, IEnv env, bool withArgs)
    {
        var p = c.GetParameters();
        return p.Length == (withArgs ? 2 : 1) && p[0].ParameterType.IsInstanceOfType(env)
            && (!withArgs || p[1].ParameterType.IsAssignableFrom(typeof(IReadOnlyDictionary<string, object?>)));
    }

    private static int Int(IReadOnlyDictionary<string, object?> a, string key) => checked((int)Convert.ToInt64(a[key], CultureInfo.InvariantCulture));

    private static double Double(IReadOnlyDictionary<string, object?> a, string key) => Convert.ToDouble(a[key], CultureInfo.InvariantCulture);
}
