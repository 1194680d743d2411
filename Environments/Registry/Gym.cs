using RlPlat.Environments.Vector;
using RlPlat.Environments.Wrappers;

namespace RlPlat.Environments;

/// <summary>
/// The env registry, Gymnasium's <c>gymnasium.make</c>/<c>register</c>. <see cref="Make"/> builds the env with its
/// spec's kwargs (overridden by the caller's) and applies Gymnasium's default stack, innermost first:
/// <c>PassiveEnvChecker</c> (unless disabled), <c>OrderEnforcing</c>, <c>TimeLimit</c> (when the spec has a step limit).
/// </summary>
public static class Gym
{
    private static readonly Dictionary<string, EnvSpec> Registry = new(StringComparer.Ordinal);
    private static readonly Lock RegistryLock = new();

    static Gym() => BuiltInEnvs.RegisterAll();

    /// <summary>Registers (or replaces) a spec.</summary>
    public static void Register(EnvSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Id)) throw new ArgumentException("Gym.Register: the env id is empty.", nameof(spec));
        lock (RegistryLock) Registry[spec.Id] = spec;
    }

    /// <summary>Registers an env built by <paramref name="entryPoint"/>.</summary>
    public static void Register(string id, Func<IReadOnlyDictionary<string, object?>, IEnv> entryPoint, int? maxEpisodeSteps = null,
        double? rewardThreshold = null, IReadOnlyDictionary<string, object?>? kwargs = null) =>
        Register(new EnvSpec(id, entryPoint, maxEpisodeSteps, rewardThreshold, Kwargs: kwargs));

    /// <summary>The spec registered under <paramref name="id"/>.</summary>
    public static EnvSpec Spec(string id)
    {
        lock (RegistryLock)
        {
            if (Registry.TryGetValue(id, out var spec)) return spec;
            throw new ArgumentException($"Gym.Make: no env registered as '{id}' (registered: {string.Join(", ", Registry.Keys.Order(StringComparer.Ordinal))}).", nameof(id));
        }
    }

    /// <summary>Every registered id, sorted.</summary>
    public static IReadOnlyList<string> Ids
    {
        get
        {
            lock (RegistryLock) return Registry.Keys.Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>Builds the env registered as <paramref name="id"/> with Gymnasium's default wrappers.</summary>
    /// <param name="id">The registered id.</param>
    /// <param name="kwargs">Keyword arguments that override the spec's.</param>
    /// <param name="maxEpisodeSteps">Overrides the spec's step limit.</param>
    /// <param name="disableEnvChecker">Overrides the spec's choice of applying <c>PassiveEnvChecker</c>.</param>
    public static IEnv Make(string id, IReadOnlyDictionary<string, object?>? kwargs = null, int? maxEpisodeSteps = null, bool? disableEnvChecker = null)
    {
        EnvSpec spec = Spec(id);
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (spec.Kwargs != null) foreach (var (k, v) in spec.Kwargs) merged[k] = v;
        if (kwargs != null) foreach (var (k, v) in kwargs) merged[k] = v;
        spec = spec with { Kwargs = merged, MaxEpisodeSteps = maxEpisodeSteps ?? spec.MaxEpisodeSteps };

        IEnv env = spec.EntryPoint(merged);
        env.Spec = spec;
        if (!(disableEnvChecker ?? spec.DisableEnvChecker)) env = Wrap(typeof(PassiveEnvChecker<,>), env);
        if (spec.OrderEnforce) env = Wrap(typeof(OrderEnforcing<,>), env);
        if (spec.MaxEpisodeSteps is int steps) env = Wrap(typeof(TimeLimit<,>), env, steps);
        return env;
    }

    /// <summary>Builds the env and checks that it has the expected observation and action types.</summary>
    public static IEnv<TObs, TAction> Make<TObs, TAction>(string id, IReadOnlyDictionary<string, object?>? kwargs = null, int? maxEpisodeSteps = null, bool? disableEnvChecker = null)
    {
        IEnv env = Make(id, kwargs, maxEpisodeSteps, disableEnvChecker);
        if (env is IEnv<TObs, TAction> typed) return typed;
        var (obs, act) = EnvTypes(env);
        env.Dispose();
        throw new ArgumentException($"Gym.Make: '{id}' has {obs.Name} observations and {act.Name} actions, not {typeof(TObs).Name} and {typeof(TAction).Name}.");
    }

    /// <summary>
    /// Gymnasium's <c>make_vec</c>: <paramref name="numEnvs"/> copies of <paramref name="id"/> (each with the default
    /// wrappers) in a sync or threaded vector env.
    /// </summary>
    public static VectorEnv<T, TAction> MakeVec<T, TAction>(string id, int numEnvs, VectorizationMode mode = VectorizationMode.Sync,
        AutoresetMode autoresetMode = AutoresetMode.NextStep, IReadOnlyDictionary<string, object?>? kwargs = null) where T : unmanaged
    {
        if (numEnvs <= 0) throw new ArgumentException($"Gym.MakeVec: numEnvs must be positive, got {numEnvs}.", nameof(numEnvs));
        var factories = new Func<IEnv<T[], TAction>>[numEnvs];
        Array.Fill(factories, () => Make<T[], TAction>(id, kwargs));
        return mode == VectorizationMode.Sync
            ? new SyncVectorEnv<T, TAction>(factories, autoresetMode)
            : new ThreadedVectorEnv<T, TAction>(factories, autoresetMode);
    }

    /// <summary>The observation and action types of a typed env.</summary>
    public static (Type Observation, Type Action) EnvTypes(IEnv env)
    {
        foreach (var i in env.GetType().GetInterfaces())
            if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnv<,>))
            {
                Type[] args = i.GetGenericArguments();
                return (args[0], args[1]);
            }
        throw new ArgumentException($"{env.GetType().Name} does not implement IEnv<TObs, TAction>.");
    }

    // The registry holds untyped entry points, so the typed default wrappers are built once per Make by reflection.
    private static IEnv Wrap(Type wrapper, IEnv env, params object[] extra)
    {
        var (obs, act) = EnvTypes(env);
        object[] args = [env, .. extra];
        return (IEnv)Activator.CreateInstance(wrapper.MakeGenericType(obs, act), args)!;
    }
}
