using RlPlat.Engine.NN;

namespace RlPlat.Engine.Optim;

/// <summary>
/// A set of parameters that share hyperparameters (PyTorch's param_groups). Built from a <see cref="Module"/> it is
/// live: parameters added, replaced or removed by growth are seen at the next step. Built from a list it is fixed.
/// </summary>
public sealed class ParamGroup
{
    private readonly Module? module;
    private readonly Parameter[]? fixedParameters;

    /// <summary>A live group that follows every parameter of <paramref name="module"/>.</summary>
    public ParamGroup(Module module, double? lr = null, double? weightDecay = null)
    {
        this.module = module ?? throw new ArgumentNullException(nameof(module));
        LrOverride = lr;
        WeightDecayOverride = weightDecay;
    }

    /// <summary>A fixed group of <paramref name="parameters"/>.</summary>
    public ParamGroup(IEnumerable<Parameter> parameters, double? lr = null, double? weightDecay = null)
    {
        fixedParameters = [.. parameters];
        LrOverride = lr;
        WeightDecayOverride = weightDecay;
    }

    internal double? LrOverride { get; }
    internal double? WeightDecayOverride { get; }

    /// <summary>The learning rate now (schedules change it).</summary>
    public double Lr { get; set; }

    /// <summary>The learning rate the group started with (schedules scale it).</summary>
    public double InitialLr { get; internal set; }

    /// <summary>The L2 penalty (Adam, SGD, RMSprop, Adagrad) or decoupled decay (AdamW).</summary>
    public double WeightDecay { get; set; }

    /// <summary>The group's parameters as of now.</summary>
    public IEnumerable<Parameter> Parameters => module != null ? module.Parameters() : fixedParameters!;
}
