using System.Collections.Concurrent;
using RlPlat.Agents;
using RlPlat.Experiments.Config;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Which <see cref="IRunTarget"/> trains an experiment: built-in algorithms are registered by name (by the agents layer
/// at start-up); an experiment whose <c>agent.type</c> names a class implementing <see cref="IRunTarget"/> gets an
/// instance of it (constructor taking a <see cref="ResolvedExperiment"/>, or none); one that names an <see cref="IAgent"/>
/// (constructor <c>(AgentSpaces, IReadOnlyDictionary&lt;string, object?&gt;, int)</c>) trains through <see cref="AgentRunTarget"/>.
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
        string? why = experiment.Agent.Algorithm is { } algorithm
            ? Factories.ContainsKey(algorithm)
                ? null
                : $"no run target is registered for algorithm '{algorithm}' (the agents layer registers one per algorithm; registered now: {(Factories.IsEmpty ? "none" : string.Join(", ", Factories.Keys))})"
            : WhyNotCustom(experiment.Agent.Type!, experiment.Agent.Assembly, out _);
        return why ?? WhyNoConnector(experiment.Connector);
    }

    /// <summary>A new run target for <paramref name="experiment"/>.</summary>
    /// <exception cref="InvalidOperationException">Nothing can train it (the message says why).</exception>
    public static IRunTarget Create(ResolvedExperiment experiment)
    {
        if (WhyUnavailable(experiment) is { } why) throw new InvalidOperationException($"{experiment.Name}: {why}");
        if (experiment.Agent.Algorithm is { } algorithm) return Factories[algorithm](experiment);
        WhyNotCustom(experiment.Agent.Type!, experiment.Agent.Assembly, out var type);
        // A custom IAgent trains like a built-in algorithm; a custom IRunTarget owns its whole run.
        if (typeof(IAgent).IsAssignableFrom(type)) return new AgentRunTarget(experiment);
        return (IRunTarget)(type!.GetConstructor([typeof(ResolvedExperiment)]) is { } withExperiment
            ? withExperiment.Invoke([experiment])
            : Activator.CreateInstance(type)!);
    }

    private static string? WhyNotCustom(string typeName, string? assembly, out Type? type)
    {
        type = CustomTypes.Find(typeName, assembly, out var notFound);
        if (type is null) return $"agent type '{typeName}' was not found: {notFound}";
        if (type.IsAbstract || !(typeof(IRunTarget).IsAssignableFrom(type) || typeof(IAgent).IsAssignableFrom(type)))
            return $"agent type '{typeName}' implements neither {nameof(IAgent)} nor {nameof(IRunTarget)}";
        if (typeof(IAgent).IsAssignableFrom(type))
            return type.GetConstructor([typeof(AgentSpaces), typeof(IReadOnlyDictionary<string, object?>), typeof(int)]) is null
                ? $"agent type '{typeName}' needs a public constructor ({nameof(AgentSpaces)} spaces, IReadOnlyDictionary<string, object?> hyperparameters, int seed)"
                : null;
        if (type.GetConstructor([typeof(ResolvedExperiment)]) is null && type.GetConstructor(Type.EmptyTypes) is null)
            return $"agent type '{typeName}' needs a public constructor taking a {nameof(ResolvedExperiment)}, or none";
        return null;
    }

    /// <summary>Why a custom connector type cannot be used, or null (built-in names are checked when the connector opens).</summary>
    private static string? WhyNoConnector(ConnectorSettings? connector)
    {
        if (connector is null || ExperimentSchema.Connectors.Contains(connector.Type)) return null;
        var type = CustomTypes.Find(connector.Type, connector.Assembly, out var notFound);
        if (type is null) return $"connector type '{connector.Type}' was not found: {notFound}";
        try
        {
            RlPlat.Connectors.Plugins.ConnectorRegistry.Resolve(connector.Type);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
