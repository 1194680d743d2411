using System.Collections.Concurrent;
using RlPlat.Experiments.Config;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Which <see cref="IRunTarget"/> trains an experiment: built-in algorithms are registered by name (by the agents layer
/// at start-up); an experiment whose <c>agent.type</c> names a class implementing <see cref="IRunTarget"/> gets an
/// instance of it (constructor taking a <see cref="ResolvedExperiment"/>, or none).
/// </summary>
public static class RunTargets
{
    private static readonly ConcurrentDictionary<string, Func<ResolvedExperiment, IRunTarget>> Factories = new(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="algorithm"/> (a name from <see cref="HyperparameterTable.Algorithms"/>) trainable.</summary>
    public static void Register(string algorithm, Func<ResolvedExperiment, IRunTarget> factory)
    {
        if (!HyperparameterTable.Algorithms.Contains(algorithm))
            throw new ArgumentException($"cannot register run target for unknown algorithm '{algorithm}'; known: {string.Join(", ", HyperparameterTable.Algorithms)}{DidYouMean.Hint(algorithm, HyperparameterTable.Algorithms)}", nameof(algorithm));
        Factories[algorithm] = factory;
    }

    /// <summary>Removes a registration; returns whether there was one.</summary>
    public static bool Unregister(string algorithm) => Factories.TryRemove(algorithm, out _);

    /// <summary>Algorithms that have a run target now.</summary>
    public static IReadOnlyCollection<string> Registered => [.. Factories.Keys];

    /// <summary>Why <paramref name="experiment"/> cannot be trained now, or null when it can.</summary>
    public static string? WhyUnavailable(ResolvedExperiment experiment)
    {
        if (experiment.Agent.Algorithm is { } algorithm)
            return Factories.ContainsKey(algorithm)
                ? null
                : $"no run target is registered for algorithm '{algorithm}' (the agents layer registers one per algorithm; registered now: {(Factories.IsEmpty ? "none" : string.Join(", ", Factories.Keys))})";
        var typeName = experiment.Agent.Type!;
        var type = Type.GetType(typeName, throwOnError: false);
        if (type is null) return $"agent type '{typeName}' was not found (is its assembly next to rlplat?)";
        if (!typeof(IRunTarget).IsAssignableFrom(type) || type.IsAbstract) return $"agent type '{typeName}' does not implement {nameof(IRunTarget)}";
        if (type.GetConstructor([typeof(ResolvedExperiment)]) is null && type.GetConstructor(Type.EmptyTypes) is null)
            return $"agent type '{typeName}' needs a public constructor taking a {nameof(ResolvedExperiment)}, or none";
        return null;
    }

    /// <summary>A new run target for <paramref name="experiment"/>.</summary>
    /// <exception cref="InvalidOperationException">Nothing can train it (the message says why).</exception>
    public static IRunTarget Create(ResolvedExperiment experiment)
    {
        if (WhyUnavailable(experiment) is { } why) throw new InvalidOperationException($"{experiment.Name}: {why}");
        if (experiment.Agent.Algorithm is { } algorithm) return Factories[algorithm](experiment);
        var type = Type.GetType(experiment.Agent.Type!, throwOnError: true)!;
        return (IRunTarget)(type.GetConstructor([typeof(ResolvedExperiment)]) is { } withExperiment
            ? withExperiment.Invoke([experiment])
            : Activator.CreateInstance(type)!);
    }
}
