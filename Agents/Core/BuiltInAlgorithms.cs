namespace RlPlat.Agents;

/// <summary>Registers the built-in algorithms with <see cref="AgentFactory"/>.</summary>
internal static class BuiltInAlgorithms
{
    public static void Register()
    {
    }
}
