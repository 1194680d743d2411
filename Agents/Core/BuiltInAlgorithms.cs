using RlPlat.Agents.Algorithms;

namespace RlPlat.Agents;

/// <summary>Registers the built-in algorithms with <see cref="AgentFactory"/>.</summary>
internal static class BuiltInAlgorithms
{
    public static void Register()
    {
        AgentFactory.Register("ppo", (s, h, seed) => new Ppo(s, PpoOptions.From(h), seed));
        AgentFactory.Register("dqn", (s, h, seed) => new Dqn(s, DqnOptions.From(h), seed));
        AgentFactory.Register("sac", (s, h, seed) => new Sac(s, SacOptions.From(h), seed));
        AgentFactory.Register("td3", (s, h, seed) => new Td3(s, Td3Options.From(h), seed));
        AgentFactory.Register("a2c", (s, h, seed) => new A2c(s, A2cOptions.From(h), seed));
        AgentFactory.Register("reinforce", (s, h, seed) => new Reinforce(s, Reinforce.Defaults(h), seed));
    }
}
