namespace RlPlat.Engine.NN;

/// <summary>
/// A multi-layer perceptron: Linear layers of the given sizes with an activation between them (and optionally after
/// the last). <c>new Mlp([4, 64, 64, 2], "tanh")</c> is Linear(4,64), Tanh, Linear(64,64), Tanh, Linear(64,2).
/// </summary>
public static class Mlp
{
    /// <summary>Builds the network; <paramref name="activation"/> is a name for <see cref="Activation.Create"/>.</summary>
    public static Sequential Create(int[] sizes, string activation = "relu", string? outputActivation = null, Generator? generator = null) =>
        Create(sizes, () => Activation.Create(activation), outputActivation == null ? null : () => Activation.Create(outputActivation), generator);

    /// <summary>Builds the network with activation modules from <paramref name="activation"/>.</summary>
    public static Sequential Create(int[] sizes, Func<Module> activation, Func<Module>? outputActivation = null, Generator? generator = null)
    {
        if (sizes.Length < 2) throw new ArgumentException($"Mlp: needs at least 2 sizes (input and output), got [{string.Join(", ", sizes)}]");
        var net = new Sequential();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            net.Append(new Linear(sizes[i], sizes[i + 1], generator: generator));
            if (i + 2 < sizes.Length) net.Append(activation());
        }
        if (outputActivation != null) net.Append(outputActivation());
        return net;
    }
}
