using RlPlat.Agents.Algorithms;
using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Agents.Policies;

/// <summary>Builds the MLP pieces policies are made of, with SB3's orthogonal initialization when asked.</summary>
public static class Networks
{
    /// <summary>Hidden layers <paramref name="input"/> -&gt; net_arch, each followed by the activation (gain sqrt 2 when orthogonal).</summary>
    public static Sequential Trunk(int input, NetworkOptions options, Generator generator)
    {
        int[] sizes = [input, .. options.NetArch];
        var trunk = Mlp.Create(sizes, options.Activation, options.Activation, generator);
        if (options.OrthoInit)
            foreach (var module in trunk.Modules())
                if (module is Linear linear) Orthogonal(linear, Math.Sqrt(2), generator);
        return trunk;
    }

    /// <summary>A linear output layer; orthogonal with <paramref name="gain"/> when <paramref name="ortho"/> is set.</summary>
    public static Linear Head(int input, int output, bool ortho, double gain, Generator generator)
    {
        var head = new Linear(input, output, generator: generator);
        if (ortho) Orthogonal(head, gain, generator);
        return head;
    }

    /// <summary>Orthogonal weights with <paramref name="gain"/> and a zero bias (SB3's <c>init_weights</c>).</summary>
    public static void Orthogonal(Linear layer, double gain, Generator generator)
    {
        using (Autograd.NoGrad())
        {
            Init.Orthogonal(layer.Weight.Value, gain, generator);
            if (layer.Bias != null) Init.Zeros(layer.Bias.Value);
        }
    }

    /// <summary>Copies every parameter of <paramref name="source"/> into <paramref name="target"/> (same architecture).</summary>
    public static void HardUpdate(Module target, Module source) => SoftUpdate(target, source, 1.0);

    /// <summary>Polyak update: target = tau * source + (1 - tau) * target, parameter by parameter.</summary>
    public static void SoftUpdate(Module target, Module source, double tau)
    {
        using (Autograd.NoGrad())
        {
            using var t = target.Parameters().GetEnumerator();
            foreach (var s in source.Parameters())
            {
                if (!t.MoveNext()) throw new ArgumentException("SoftUpdate: the target has fewer parameters than the source.");
                if (tau >= 1.0) t.Current.Value.CopyInPlace(s.Value);
                else t.Current.Value.LerpInPlace(s.Value, tau);
            }
            if (t.MoveNext()) throw new ArgumentException("SoftUpdate: the target has more parameters than the source.");
        }
    }
}
