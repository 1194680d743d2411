using RlPlat.Agents.Algorithms;

namespace RlPlat.Agents;

/// <summary>Registers the built-in algorithms with <see cref="AgentFactory"/>.</summary>
internal static class BuiltInAlgorithms
{
    public static void Register()
    {
        AgentFactory.Register("ppo", (s, h, seed) => new Ppo(s, PpoOptions.From(h), seed));
        AgentFactory.Register("dqn", (s, h, seed) => new Dqn(s, DqnOptions.From(h), seed));
    }
}
