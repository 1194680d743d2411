namespace RlPlat.Engine.Distributions;

/// <summary>
/// A probability distribution over actions (batched: the leading dims are the batch). Sampling takes a
/// <see cref="Generator"/> (null: this thread's default) so rollouts are seeded.
/// </summary>
public abstract class Distribution
{
    /// <summary>A sample, outside the graph.</summary>
    public abstract Tensor Sample(Generator? generator = null);

    /// <summary>The log-density (or log-probability) of <paramref name="value"/>, differentiable in the parameters.</summary>
    public abstract Tensor LogProb(Tensor value);

    /// <summary>The entropy, differentiable in the parameters.</summary>
    public abstract Tensor Entropy();

    /// <summary>The most likely value (greedy action).</summary>
    public abstract Tensor Mode();
}

/// <summary>A distribution with a reparameterized sample: gradients flow from the sample back into the parameters.</summary>
public abstract class ContinuousDistribution : Distribution
{
    /// <summary>A sample that is a differentiable function of the parameters and independent noise.</summary>
    public abstract Tensor RSample(Generator? generator = null);

    /// <inheritdoc/>
    public override Tensor Sample(Generator? generator = null)
    {
        using (Autograd.NoGrad()) return RSample(generator).Detach();
    }
}
