using RlPlat.Environments;

namespace RlPlat.Agents;

/// <summary>
/// The observation and action layout an agent works with. Observations are flat float32 vectors of
/// <see cref="ObservationSize"/> values; actions are flat float32 vectors of <see cref="ActionSize"/> values
/// (a discrete action is one value holding the action index, as in Stable-Baselines3's buffers).
/// </summary>
public sealed class AgentSpaces
{
    /// <summary>Describes the spaces of an env; only flat-able observation spaces and Discrete or float Box actions are accepted.</summary>
    public AgentSpaces(Space observationSpace, Space actionSpace)
    {
        ObservationSpace = observationSpace ?? throw new ArgumentException("AgentSpaces: the observation space is null.", nameof(observationSpace));
        ActionSpace = actionSpace ?? throw new ArgumentException("AgentSpaces: the action space is null.", nameof(actionSpace));
        ObservationShape = observationSpace.Shape.Length == 0 && observationSpace is not Box ? [Spaces.FlatDim(observationSpace)] : (int[])observationSpace.Shape.Clone();
        ObservationSize = Spaces.FlatDim(observationSpace);
        switch (actionSpace)
        {
            case Discrete d:
                IsDiscrete = true;
                ActionCount = d.N;
                ActionStart = d.Start;
                ActionSize = 1;
                ActionLow = [d.Start];
                ActionHigh = [d.Start + d.N - 1];
                break;
            case Box b when b.DType is BoxDType.Float32 or BoxDType.Float64:
                ActionSize = b.Size;
                ActionLow = (double[])b.Low.Clone();
                ActionHigh = (double[])b.High.Clone();
                break;
            default:
                throw new ArgumentException($"AgentSpaces: action space {actionSpace} is not supported (Discrete or a float Box).", nameof(actionSpace));
        }
    }

    /// <summary>The env's observation space.</summary>
    public Space ObservationSpace { get; }

    /// <summary>The env's action space.</summary>
    public Space ActionSpace { get; }

    /// <summary>The observation shape (for pixel encoders); its product is <see cref="ObservationSize"/>.</summary>
    public int[] ObservationShape { get; }

    /// <summary>Number of floats in one flattened observation.</summary>
    public int ObservationSize { get; }

    /// <summary>True for a Discrete action space.</summary>
    public bool IsDiscrete { get; }

    /// <summary>Number of discrete actions (0 for continuous).</summary>
    public int ActionCount { get; }

    /// <summary>The first discrete action's value (Discrete's <c>start</c>).</summary>
    public int ActionStart { get; }

    /// <summary>Number of floats in one action (1 for discrete).</summary>
    public int ActionSize { get; }

    /// <summary>Lower action bounds per dimension.</summary>
    public double[] ActionLow { get; }

    /// <summary>Upper action bounds per dimension.</summary>
    public double[] ActionHigh { get; }

    /// <inheritdoc />
    public override string ToString() => $"observations {ObservationSpace} ({ObservationSize} floats), actions {ActionSpace}";
}
