namespace RlPlat.Engine.NN;

/// <summary>Stateless forms of the layers and losses (PyTorch's <c>torch.nn.functional</c>).</summary>
public static partial class Functional
{
    /// <summary>
    /// x·Wᵀ + b for x [*, in], W [out, in], b [out]. For 2-D inputs one recorded node computes the three gradients
    /// directly (dx = g·W, dW = gᵀ·x, db = Σg), skipping the transposed views and broadcast reductions of the composed form;
    /// on the host it is the fused layer (<see cref="Linear(Tensor, Tensor, Tensor?, LinearActivation)"/>) without activation.
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (FusedLinear.Applies(input, weight, bias)) return FusedLinear.Forward(input, weight, bias, LinearActivation.None);
        if (input.Rank != 2 || weight.Rank != 2 || input.DType != weight.DType || (bias != null && (bias.Rank != 1 || bias.DType != weight.DType)))
        {
            var r = input.MatMul(weight.MT);
            return bias == null ? r : r.Add(bias);
        }
        Tensor y;
        using (Autograd.NoGrad())
        {
            y = input.MatMul(weight.MT);
            if (bias != null) y.AddInPlace(bias);
        }
        bool biasGrad = bias != null && bias.RequiresGrad;
        if (Autograd.IsEnabled && (input.RequiresGrad || weight.RequiresGrad || biasGrad))
            Autograd.Attach(y, "Linear", [input, weight, bias], g => [
                input.RequiresGrad ? g.MatMul(weight) : null,
                weight.RequiresGrad ? g.MT.MatMul(input) : null,
                biasGrad ? g.Sum(0) : null], input, weight);
        return y;
    }
}
