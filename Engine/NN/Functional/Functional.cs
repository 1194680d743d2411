namespace RlPlat.Engine.NN;

/// <summary>Stateless forms of the layers and losses (PyTorch's <c>torch.nn.functional</c>).</summary>
public static partial class Functional
{
    /// <summary>x·Wᵀ + b for x [*, in], W [out, in], b [out].</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        var y = input.MatMul(weight.MT);
        return bias == null ? y : y.Add(bias);
    }
}
