using System.Collections.Concurrent;
using RlPlat.Agents.Examples;

namespace RlPlat.Agents;

/// <summary>
/// Builds agents by name from rl-zoo-style hyperparameters: built-in algorithms ("ppo", "dqn", ...) are registered here;
/// any other name is read as a type name ("Namespace.Type, Assembly") of a class implementing <see cref="IAgent"/> with a
/// constructor <c>(AgentSpaces spaces, IReadOnlyDictionary&lt;string, object?&gt;? hyperparameters, int seed)</c>.
/// </summary>
public static class AgentFactory
{
    /// <summary>Builds an agent from spaces, hyperparameters and a seed.</summary>
    public delegate IAgent Builder(AgentSpaces spaces, IReadOnlyDictionary<string, object?>? hyperparameters, int seed);

    private static readonly ConcurrentDictionary<string, Builder> Builders = new(StringComparer.OrdinalIgnoreCase);

    static AgentFactory()
    {
        Register("tabular_q", (s, h, seed) => new TabularQLearning(s, h, seed));
        BuiltInAlgorithms.Register();
    }

    /// <summary>Registers (or replaces) an algorithm name.</summary>
    public static void Register(string algorithm, Builder builder)
    {
        if (string.IsNullOrWhiteSpace(algorithm)) throw new ArgumentException("AgentFactory.Register: the algorithm name is empty.", nameof(algorithm));
        Builders[algorithm] = builder;
    }

    /// <summary>Registered algorithm names, sorted.</summary>
    public static IReadOnlyList<string> Algorithms => [.. Builders.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Builds the agent named <paramref name="algorithm"/> (a registered name or an agent type name).</summary>
    public static IAgent Create(string algorithm, IReadOnlyDictionary<string, object?>? hyperparameters, AgentSpaces spaces, int seed)
    {
        if (Builders.TryGetValue(algorithm, out var builder)) return builder(spaces, hyperparameters, seed);
        if (!algorithm.Contains('.'))
            throw new ArgumentException($"AgentFactory: unknown algorithm '{algorithm}' (registered: {string.Join(", ", Algorithms)}; or give a type name 'Namespace.Type, Assembly').", nameof(algorithm));
        Type type = Type.GetType(algorithm, throwOnError: false)
            ?? throw new ArgumentException($"AgentFactory: type '{algorithm}' was not found (is its assembly next to the program, and is the name 'Namespace.Type, Assembly'?).", nameof(algorithm));
        if (!typeof(IAgent).IsAssignableFrom(type) || type.IsAbstract)
            throw new ArgumentException($"AgentFactory: type '{algorithm}' does not implement {nameof(IAgent)}.", nameof(algorithm));
        var ctor = type.GetConstructor([typeof(AgentSpaces), typeof(IReadOnlyDictionary<string, object?>), typeof(int)])
            ?? throw new ArgumentException($"AgentFactory: type '{algorithm}' has no constructor (AgentSpaces, IReadOnlyDictionary<string, object?>, int).", nameof(algorithm));
        try
        {
            return (IAgent)ctor.Invoke([spaces, hyperparameters, seed]);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
