using RlPlat.Environments.Car;
using RlPlat.Environments.ClassicControl;
using RlPlat.Environments.Games;

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
        // Catch: 10 balls of 9 frames each end the episode at 90 steps; the limit only guards custom settings.
        Gym.Register(new EnvSpec("Catch-v0", Catch.FromKwargs, MaxEpisodeSteps: 1000, RewardThreshold: 9.0));
        Gym.Register(new EnvSpec("CarSensors-v0", CarSensors.FromKwargs, MaxEpisodeSteps: 1000));
        Gym.Register(new EnvSpec("CarSensorsDiscrete-v0", CarSensorsDiscrete.FromKwargs, MaxEpisodeSteps: 1000));
        Gym.Register(new EnvSpec("CatchPixels-v0", CatchPixels.FromKwargs, MaxEpisodeSteps: 1000, RewardThreshold: 9.0));
    }
}
