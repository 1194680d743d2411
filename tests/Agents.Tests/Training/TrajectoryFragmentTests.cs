using RlPlat.Agents.Algorithms;
using RlPlat.Agents.Tests.Support;
using RlPlat.Agents.Training;

namespace RlPlat.Agents.Tests.Training;

public class TrajectoryFragmentTests
{
    [Test]
    public void FragmentsSerializeAndReplayIntoALearnerLikeLocalSteps()
    {
        // An "actor" collects steps with a copy of the learner's policy; the "learner" consumes the shipped fragment.
        using var envs = new EnvBatch([new ChainEnv(oneHot: true), new ChainEnv(oneHot: true)]);
        var options = DqnOptions.From(new Dictionary<string, object?> { ["learning_starts"] = 0, ["buffer_size"] = 100, ["net_arch"] = new[] { 8 } });
        var learner = new Dqn(envs.Spaces, options, 0);
        var actor = new Dqn(envs.Spaces, options, 1);
        actor.SetWeights(learner.GetWeights());

        var fragment = new TrajectoryFragment();
        var t = new TransitionBatch(2, envs.Spaces.ObservationSize, 1);
        var actions = new float[2];
        envs.Reset(0);
        for (int i = 0; i < 10; i++)
        {
            actor.Act(envs.Observations, 2, actions, deterministic: false);
            envs.Step(actions, t);
            fragment.Append(t);
        }
        var shipped = TrajectoryFragment.FromBytes(fragment.ToBytes());
        Assert.That(shipped.Steps, Is.EqualTo(10));
        Assert.That(shipped.Rewards, Is.EqualTo(fragment.Rewards));
        Assert.That(shipped.NextObservations, Is.EqualTo(fragment.NextObservations));

        shipped.Replay(learner.Observe);
        Assert.That(learner.NumTimesteps, Is.EqualTo(20));
        Assert.That(learner.Replay.Count, Is.EqualTo(20));
    }
}
