namespace RlPlat.Engine.NN;

/// <summary>
/// Function-preserving network growth (Chen et al., Net2Net). Widening duplicates units and splits their outgoing
/// weights among the copies; new units are appended after the old ones, so old entries keep their indices and
/// optimizers keep their state for them. Parameters are replaced through <see cref="Parameter.Value"/> and their
/// gradients are dropped.
/// </summary>
public static class Net2Net
{
    /// <summary>
    /// Which old unit each of <paramref name="newWidth"/> units copies: the identity for the first
    /// <paramref name="oldWidth"/>, random old units (from <paramref name="generator"/>) for the rest.
    /// </summary>
    public static int[] WidenMapping(int oldWidth, int newWidth, Generator? generator = null)
    {
        if (newWidth < oldWidth) throw new ArgumentException($"Widen: new width {newWidth} is smaller than the current width {oldWidth}");
        var g = generator ?? Generator.Default;
        var map = new int[newWidth];
        for (int j = 0; j < newWidth; j++) map[j] = j < oldWidth ? j : g.NextInt(oldWidth);
        return map;
    }

    /// <summary>
    /// Widens the output of <paramref name="producer"/> (rows duplicated per <paramref name="mapping"/>) and the
    /// input of <paramref name="consumer"/> (columns duplicated and divided by each unit's copy count). Any
    /// elementwise activation between them keeps the network's function unchanged.
    /// </summary>
    public static void Widen(Linear producer, Linear consumer, int[] mapping)
    {
        if (producer.OutFeatures != consumer.InFeatures)
            throw new ArgumentException($"Widen: producer outputs {producer.OutFeatures} but consumer takes {consumer.InFeatures}");
        WidenOutputs(producer, mapping);
        WidenInputs(consumer, mapping);
    }

    /// <summary>Duplicates output units (weight rows and bias entries) per <paramref name="mapping"/>.</summary>
    public static void WidenOutputs(Linear layer, int[] mapping)
    {
        CheckMapping(mapping, layer.OutFeatures, "WidenOutputs");
        using var _ = Autograd.NoGrad();
        var index = Index(mapping);
        layer.Weight.Value = layer.Weight.Value.IndexSelect(0, index).Contiguous();
        if (layer.Bias != null) layer.Bias.Value = layer.Bias.Value.IndexSelect(0, index).Contiguous();
    }

    /// <summary>Duplicates input columns per <paramref name="mapping"/>, each divided by its unit's copy count.</summary>
    public static void WidenInputs(Linear layer, int[] mapping)
    {
        CheckMapping(mapping, layer.InFeatures, "WidenInputs");
        using var _ = Autograd.NoGrad();
        var w = layer.Weight.Value;
        var counts = new double[layer.InFeatures];
        foreach (var u in mapping) counts[u]++;
        var scale = new double[mapping.Length];
        for (int j = 0; j < mapping.Length; j++) scale[j] = 1 / counts[mapping[j]];
        layer.Weight.Value = w.IndexSelect(1, Index(mapping)).Mul(Tensor.FromArray(scale, mapping.Length).To(w.DType)).Contiguous();
    }

    /// <summary>Widens a residual block whose input is widened per <paramref name="mapping"/>; its output keeps the same duplication.</summary>
    public static void Widen(ResidualBlock block, int[] mapping)
    {
        WidenInputs(block.Inner, mapping);
        WidenOutputs(block.Outer, mapping);
    }

    /// <summary>Sets a square Linear to the identity (weight I, bias 0).</summary>
    public static Linear IdentityInit(Linear layer)
    {
        if (layer.InFeatures != layer.OutFeatures) throw new ArgumentException($"IdentityInit: needs a square layer, got {layer}");
        using var _ = Autograd.NoGrad();
        layer.Weight.Value.CopyInPlace(Tensor.Eye(layer.InFeatures, dtype: layer.Weight.Value.DType));
        layer.Bias?.Value.ZeroInPlace();
        return layer;
    }

    /// <summary>
    /// True when act(act(x)) = act(x) for every x (ReLU, ReLU6, identity): an identity-initialized layer after such an
    /// activation preserves the function. Other activations need a zero-output residual block.
    /// </summary>
    public static bool IsIdempotent(Module activation) => activation is ReLU or Identity;

    private static Tensor Index(int[] mapping)
    {
        var idx = new long[mapping.Length];
        for (int i = 0; i < idx.Length; i++) idx[i] = mapping[i];
        return Tensor.FromArray(idx, idx.Length);
    }

    private static void CheckMapping(int[] mapping, int width, string op)
    {
        if (mapping.Length < width) throw new ArgumentException($"{op}: mapping has {mapping.Length} entries, fewer than the current width {width}");
        for (int j = 0; j < mapping.Length; j++)
            if (mapping[j] < 0 || mapping[j] >= width || (j < width && mapping[j] != j))
                throw new ArgumentException($"{op}: mapping[{j}] = {mapping[j]} is invalid for width {width} (old units must map to themselves, new ones to an old unit)");
    }
}
