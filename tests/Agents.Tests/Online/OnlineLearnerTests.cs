using RlPlat.Agents.Online;
using RlPlat.Engine;
using RlPlat.Environments;

namespace RlPlat.Agents.Tests.Online;

public class OnlineLearnerTests
{
    private static readonly AgentSpaces Spaces = new(new Box(-1, 1, [3]), new Discrete(2));

    // A two-action bandit with a state: action 1 pays the first observation entry, action 0 pays nothing.
    private static void Feed(StreamingReplay replay, int count, int seed)
    {
        var g = new Generator(seed);
        for (int i = 0; i < count; i++)
        {
            float[] obs = [(float)g.NextDouble(), (float)g.NextDouble(), (float)g.NextDouble()];
            int a = g.NextInt(2);
            replay.Add(obs, [a], a == 1 ? obs[0] : 0, obs, true, 0.99f);
        }
    }

    private static float[] Weights(OnlineLearner learner, string key)
    {
        var sd = StateDictCodec.Decode(learner.GetState().Blob("module.q_net"));
        return sd[key].ToArray<float>();
    }

    [Test]
    public void AnExceptionInLearningRestoresTheLastPublishedWeightsAndLearningGoesOn()
    {
        var learner = new OnlineDqn(Spaces, new OnlineDqnOptions { Hidden = [8], LearningStarts = 0, BatchSize = 4, PublishEvery = 10 }, seed: 1);
        var events = new List<(string Kind, IReadOnlyDictionary<string, object?> Data)>();
        learner.Event += (k, d) => events.Add((k, d));
        Feed(learner.Replay, 64, 2);
        bool thrown = false;
        float[]? atTwenty = null;
        learner.BeforeUpdate = n =>
        {
            if (n == 20) atTwenty = Weights(learner, "blocks.0.weight");
            if (n == 25 && !thrown) { thrown = true; throw new InvalidOperationException("injected fault"); }
        };
        for (int i = 0; i < 25; i++) Assert.That(learner.Update(), Is.EqualTo(UpdateResult.Done));
        Assert.That(learner.Update(), Is.EqualTo(UpdateResult.Failed));

        Assert.That(learner.Counters.Snapshot().LearnerFailures, Is.EqualTo(1));
        Assert.That(learner.Updates, Is.EqualTo(20), "back to the last good state, published at update 20");
        Assert.That(Weights(learner, "blocks.0.weight"), Is.EqualTo(atTwenty));
        Assert.That(learner.Policy.Network.Version, Is.EqualTo(20));
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(events[0].Kind, Is.EqualTo(MetricKeysOnline.LearnerRestart));
        Assert.That((string)events[0].Data["error"]!, Does.Contain("injected fault"));

        for (int i = 0; i < 10; i++) learner.Update();
        Assert.That(learner.Updates, Is.EqualTo(30));
        Assert.That(learner.Policy.Network.Version, Is.EqualTo(30));
    }

    [Test]
    public void GrowthKeepsThePolicyFunctionAndTheOptimizerMomentsAndIsReported()
    {
        var learner = new OnlineDqn(Spaces, new OnlineDqnOptions
        {
            Hidden = [8], LearningStarts = 0, BatchSize = 4, PublishEvery = 1,
            Growth = new GrowthOptions { EverySteps = 1_000_000, AddUnits = 4 },
        }, seed: 3);
        var events = new List<IReadOnlyDictionary<string, object?>>();
        learner.Event += (k, d) => { if (k == MetricKeysOnline.Growth) events.Add(d); };
        Feed(learner.Replay, 64, 4);
        for (int i = 0; i < 5; i++) learner.Update();
        var before = StateDictCodec.Decode(learner.GetState().Blob("optimizer.optimizer"));
        var x = new float[] { 0.2f, 0.7f, 0.1f };
        var qBefore = new float[2];
        learner.Policy.Network.Forward(x, qBefore);

        learner.Grow();

        var qAfter = new float[2];
        learner.Policy.Network.Forward(x, qAfter);
        Assert.That(learner.Policy.Network.Shape, Is.EqualTo("3-12-2"));
        Assert.That(qAfter[0], Is.EqualTo(qBefore[0]).Within(1e-5));
        Assert.That(qAfter[1], Is.EqualTo(qBefore[1]).Within(1e-5));
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(events[0]["shape"], Is.EqualTo("3-12-2"));
        Assert.That(events[0]["network"], Is.EqualTo("q_net"));

        // Adam's moments of the first layer: the 8 old rows kept, the 4 new rows start at zero.
        learner.Update();
        var after = StateDictCodec.Decode(learner.GetState().Blob("optimizer.optimizer"));
        var old = before["state.0.exp_avg_sq"].ToArray<float>();
        var grown = after["state.0.exp_avg_sq"];
        Assert.That(grown.Shape, Is.EqualTo(new[] { 12, 3 }));
        var grownValues = grown.ToArray<float>();
        // One more Adam step scales the old second moments by beta2 and adds (1 - beta2) g^2 >= 0.
        for (int i = 0; i < old.Length; i++) Assert.That(grownValues[i], Is.GreaterThanOrEqualTo(old[i] * 0.999f - 1e-12f));
        Assert.That(after["state.0.step"].Item(), Is.EqualTo(before["state.0.step"].Item() + 1));
    }

    [Test]
    public void StateRoundTripRegrowsAFreshLearner()
    {
        var options = new OnlineDqnOptions { Hidden = [8], LearningStarts = 0, BatchSize = 4, Growth = new GrowthOptions { AddUnits = 8, AddLayers = 1 } };
        var learner = new OnlineDqn(Spaces, options, seed: 5);
        Feed(learner.Replay, 32, 6);
        for (int i = 0; i < 3; i++) learner.Update();
        learner.Grow();
        var fresh = new OnlineDqn(Spaces, options, seed: 9);
        fresh.SetState(AgentState.FromBytes(learner.GetState().ToBytes()));
        Assert.That(fresh.Policy.Network.Shape, Is.EqualTo("3-16-16-2"));
        var x = new float[] { 0.5f, -0.5f, 0.25f };
        float[] a = new float[2], b = new float[2];
        learner.Policy.Network.Forward(x, a);
        fresh.Policy.Network.Forward(x, b);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(fresh.Updates, Is.EqualTo(3));
    }

    [Test]
    public void OnlineDqnLearnsTheBanditFromTheStreamingReplay()
    {
        var learner = new OnlineDqn(Spaces, new OnlineDqnOptions { Hidden = [16], LearningStarts = 0, BatchSize = 32, LearningRate = 3e-3, PublishEvery = 1 }, seed: 7);
        Feed(learner.Replay, 2000, 8);
        for (int i = 0; i < 1500; i++) learner.Update();
        var q = new float[2];
        learner.Policy.Network.Forward([0.8f, 0.1f, 0.5f], q);
        Assert.That(q[1], Is.EqualTo(0.8).Within(0.1));
        Assert.That(q[0], Is.EqualTo(0.0).Within(0.1));
    }

    [Test]
    public void OnlineActorCriticPrefersThePayingActionAndItsGaussianStdIsPublished()
    {
        var learner = new OnlineActorCritic(Spaces, new OnlineAcOptions { Hidden = [16], NSteps = 16, LearningRate = 3e-3, PublishEvery = 1, EntCoef = 0 }, seed: 11);
        var g = new Generator(12);
        var action = new float[1];
        // On-policy: act with the published snapshot, observe the bandit's reward, learn from each fresh batch.
        for (int i = 0; i < 4000; i++)
        {
            float[] obs = [(float)(0.5 + 0.5 * g.NextDouble()), 0, 0];
            learner.Act(learner.Policy, obs, action, g, i, explore: true);
            learner.Replay.Add(obs, action, action[0] == 1 ? obs[0] : 0, obs, true, 0.99f);
            learner.Update();
        }
        int ones = 0;
        for (int i = 0; i < 200; i++) { learner.Act(learner.Policy, [0.75f, 0, 0], action, g, 0, explore: true); if (action[0] == 1) ones++; }
        Assert.That(ones, Is.GreaterThan(180), "action 1 pays 0.75 on average, action 0 nothing");
        Assert.That(learner.Policy.ActionStd, Is.Empty);

        var continuous = new OnlineActorCritic(new AgentSpaces(new Box(-1, 1, [3]), new Box(-1, 1, [2])), new OnlineAcOptions { LogStdInit = -1 }, seed: 1);
        Assert.That(continuous.Policy.ActionStd, Is.EqualTo(new[] { MathF.Exp(-1), MathF.Exp(-1) }).Within(1e-6));
    }
}
