using RlPlat.Environments.ClassicControl;

namespace RlPlat.Environments;

/// <summary>The registrations of the built-in envs, with Gymnasium's step limits and reward thresholds.</summary>
internal static class BuiltInEnvs
{
    public static void RegisterAll()
    {
        Gym.Register(new EnvSpec("CartPole-v0", CartPole.FromKwargs, MaxEpisodeSteps: 200, RewardThreshold: 195.0));
        Gym.Register(new EnvSpec("CartPole-v1", CartPole.FromKwargs, MaxEpisodeSteps: 500, RewardThreshold: 475.0));
        Gym.Register(new EnvSpec("MountainCar-v0", MountainCar.FromKwargs, MaxEpisodeSteps: 200, RewardThreshold: -110.0));
        Gym.Register(new EnvSpec("MountainCarContinuous-v0", MountainCarContinuous.FromKwargs, MaxEpisodeSteps: 999, RewardThreshold: 90.0));
        Gym.Register(new EnvSpec("Pendulum-v1", Pendulum.FromKwargs, MaxEpisodeSteps: 200));
        Gym.Register(new EnvSpec("Acrobot-v1", Acrobot.FromKwargs, MaxEpisodeSteps: 500, RewardThreshold: -100.0));
    }
}
