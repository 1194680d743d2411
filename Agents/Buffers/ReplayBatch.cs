namespace RlPlat.Agents.Buffers;

/// <summary>A sampled minibatch of transitions; arrays are allocated once per batch size and refilled by each sample.</summary>
public sealed class ReplayBatch
{
    /// <summary>Allocates a batch of <paramref name="size"/> transitions.</summary>
    public ReplayBatch(int size, int observationSize, int actionSize)
    {
        Size = size;
        Observations = new float[size * observationSize];
        NextObservations = new float[size * observationSize];
        Actions = new float[size * actionSize];
        Rewards = new float[size];
        Terminated = new float[size];
        Discounts = new float[size];
        Weights = new float[size];
        Indices = new int[size];
    }

    /// <summary>Transitions in the batch.</summary>
    public int Size { get; }

    /// <summary>[Size, obs] observations.</summary>
    public float[] Observations { get; }

    /// <summary>[Size, obs] true next observations.</summary>
    public float[] NextObservations { get; }

    /// <summary>[Size, act] actions.</summary>
    public float[] Actions { get; }

    /// <summary>[Size] rewards (n-step discounted sums for n-step buffers).</summary>
    public float[] Rewards { get; }

    /// <summary>[Size] 1 where the next state is terminal (no bootstrap), else 0.</summary>
    public float[] Terminated { get; }

    /// <summary>[Size] the discount applied to the bootstrap value: gamma^n for n-step transitions.</summary>
    public float[] Discounts { get; }

    /// <summary>[Size] importance-sampling weights (1 for uniform sampling).</summary>
    public float[] Weights { get; }

    /// <summary>[Size] buffer slots the transitions came from (for priority updates).</summary>
    public int[] Indices { get; }
}
