using RlPlat.Environments.ClassicControl;

namespace RlPlat.Environments.Tests.Registry;

public class DeterminismTests
{
    private static IEnumerable<string> BuiltInIds() => Gym.Ids.Where(id => !id.StartsWith("Scripted", StringComparison.Ordinal));

    [TestCaseSource(nameof(BuiltInIds))]
    public void SameSeedAndActionsGiveIdenticalEpisodes(string id)
    {
        Assert.That(Rollout(id, 3), Is.EqualTo(Rollout(id, 3)));
        Assert.That(Rollout(id, 3), Is.Not.EqualTo(Rollout(id, 4)));
    }

    // 300 steps with actions from the action space seeded alongside the env, resetting (unseeded) at episode ends.
    private static List<double> Rollout(string id, int seed)
    {
        using IEnv env = Gym.Make(id);
        var trace = new List<double>();
        var (obs, _) = env.ResetObject(seed);
        env.ActionSpace.Seed(seed);
        trace.Add(Fingerprint(env.ObservationSpace, obs));
        for (int t = 0; t < 300; t++)
        {
            var r = env.StepObject(env.ActionSpace.SampleObject());
            trace.Add(Fingerprint(env.ObservationSpace, r.Observation));
            trace.Add(r.Reward);
            if (r.Done) env.ResetObject();
        }
        return trace;
    }

    // A position-weighted sum: equal observations give equal fingerprints, and any change shows up in practice.
    private static double Fingerprint(Space space, object obs)
    {
        float[] flat = global::RlPlat.Environments.Spaces.Flatten(space, obs);
        double h = 0;
        for (int i = 0; i < flat.Length; i++) h += flat[i] * (i + 1.0);
        return h;
    }

    [Test]
    public void CartPoleRenderDrawsTheCartWhereTheStateSaysItIs()
    {
        var env = new CartPole();
        env.Reset(0);
        env.State = [1.2, 0, 0, 0];
        var frame = env.Render()!;
        Assert.That((frame.Height, frame.Width), Is.EqualTo((400, 600)));
        // x = 1.2 maps to 1.2 * 600 / 4.8 + 300 = 450; the cart is black there at the cart's height (y = 300).
        int Pixel(int x, int y) => frame.Pixels[(y * 600 + x) * 3];
        Assert.That(Pixel(450 - 20, 310), Is.EqualTo(0));
        Assert.That(Pixel(300, 310), Is.EqualTo(255), "nothing at the centre");
    }
}
