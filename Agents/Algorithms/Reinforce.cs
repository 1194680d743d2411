namespace RlPlat.Agents.Algorithms;

/// <summary>
/// REINFORCE with a learned baseline (Williams 1992; Sutton &amp; Barto 13.4): the policy gradient of Monte Carlo
/// returns, G_t - V(s_t) as the advantage, with a value loss fitting V to G. It is A2C's update with lambda = 1 (full
/// returns instead of short bootstrapped ones), long rollouts, Adam and normalized advantages. Returns run to the end
/// of each episode inside a rollout; an episode still running when the rollout ends (or cut by a time limit) is
/// completed with the critic's value of where it stopped, the only bootstrapping this algorithm does.
/// </summary>
public sealed class Reinforce(AgentSpaces spaces, A2cOptions options, int seed) : A2c("reinforce", spaces, options, seed)
{
    /// <summary>REINFORCE's defaults (A2C's names): lambda 1, 1024 steps per env per update, Adam 1e-3, normalized advantages.</summary>
    public static A2cOptions Defaults(IReadOnlyDictionary<string, object?>? values)
    {
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["n_steps"] = 1024, ["gae_lambda"] = 1.0, ["use_rms_prop"] = false, ["learning_rate"] = 1e-3, ["normalize_advantage"] = true,
            ["gamma"] = 0.99, ["ent_coef"] = 0.0,
        };
        if (values != null) foreach (var (k, v) in values) merged[k] = v;
        if (Convert.ToDouble(merged["gae_lambda"], System.Globalization.CultureInfo.InvariantCulture) != 1.0)
            throw new ArgumentException($"reinforce: gae_lambda is 1 by definition (Monte Carlo returns), got {merged["gae_lambda"]}.");
        return A2cOptions.From(merged);
    }
}
