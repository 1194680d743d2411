namespace RlPlat.Engine.NN;

/// <summary>Where tensors live. Only the CPU exists in this build; a GPU backend adds more.</summary>
public readonly record struct Device(string Type, int Index = 0)
{
    /// <summary>The CPU (managed arrays).</summary>
    public static readonly Device Cpu = new("cpu");

    /// <inheritdoc/>
    public override string ToString() => Index == 0 && Type == "cpu" ? "cpu" : $"{Type}:{Index}";
}
