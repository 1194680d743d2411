namespace RlPlat.Engine.NN;

/// <summary>
/// The convolutional Q-network of Mnih et al. 2015 (Nature DQN) for stacked 84x84 frames: three conv layers
/// (32·8x8/4, 64·4x4/2, 64·3x3/1) with ReLU, then 512 hidden units and one output per action.
/// </summary>
public static class NatureCnn
{
    /// <summary>The network for [N, <paramref name="inChannels"/>, 84, 84] inputs with <paramref name="outputs"/> outputs.</summary>
    public static Sequential Create(int inChannels = 4, int outputs = 6, Generator? generator = null) => new(
        new Conv2d(inChannels, 32, 8, stride: 4, generator: generator), new ReLU(),
        new Conv2d(32, 64, 4, stride: 2, generator: generator), new ReLU(),
        new Conv2d(64, 64, 3, stride: 1, generator: generator), new ReLU(),
        new Flatten(), new Linear(64 * 7 * 7, 512, generator: generator), new ReLU(), new Linear(512, outputs, generator: generator));
}
