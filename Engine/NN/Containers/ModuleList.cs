namespace RlPlat.Engine.NN;

/// <summary>
/// An ordered list of submodules registered as "0", "1", ... Insertion and removal renumber them, so state dict keys
/// always follow the current order.
/// </summary>
public class ModuleList : Module
{
    private readonly List<Module> items = [];

    /// <summary>A list holding <paramref name="modules"/>.</summary>
    public ModuleList(params IEnumerable<Module> modules)
    {
        foreach (var m in modules) Append(m);
    }

    /// <summary>Number of modules.</summary>
    public int Count => items.Count;

    /// <summary>The module at <paramref name="index"/> (negative counts from the end); setting replaces it.</summary>
    public Module this[int index]
    {
        get => items[Normalize(index, items.Count)];
        set
        {
            int i = Normalize(index, items.Count);
            items[i] = value;
            RegisterModule(i.ToString(), value);
        }
    }

    /// <summary>Adds <paramref name="module"/> at the end; returns this.</summary>
    public ModuleList Append(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        items.Add(module);
        RegisterModule((items.Count - 1).ToString(), module);
        return this;
    }

    /// <summary>Inserts <paramref name="module"/> before position <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (index < 0 || index > items.Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"Insert: index must be in [0, {items.Count}]");
        items.Insert(index, module);
        Renumber();
    }

    /// <summary>Removes and returns the module at <paramref name="index"/>.</summary>
    public Module RemoveAt(int index)
    {
        int i = Normalize(index, items.Count);
        var m = items[i];
        items.RemoveAt(i);
        Renumber();
        return m;
    }

    /// <summary>The modules in order.</summary>
    public IReadOnlyList<Module> Items => items;

    private void Renumber()
    {
        for (int i = 0; i <= items.Count; i++) Remove(i.ToString());
        for (int i = 0; i < items.Count; i++) RegisterModule(i.ToString(), items[i]);
    }

    private static int Normalize(int index, int count)
    {
        int i = index < 0 ? index + count : index;
        if (i < 0 || i >= count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index out of range for {count} modules");
        return i;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var lines = new List<string>(items.Count);
        for (int i = 0; i < items.Count; i++) lines.Add($"  ({i}): {items[i].ToString()!.Replace("\n", "\n  ")}");
        return $"{GetType().Name}(\n{string.Join("\n", lines)}\n)";
    }
}

/// <summary>Modules applied one after another: the output of each is the input of the next.</summary>
public sealed class Sequential : ModuleList
{
    /// <summary>A chain of <paramref name="modules"/>.</summary>
    public Sequential(params IEnumerable<Module> modules) : base(modules) { }

    /// <summary>
    /// Runs the modules in order. A Linear followed by ReLU, Tanh or Sigmoid runs as one fused layer (same values and
    /// gradients, fewer passes and buffers). The output of a fused layer that feeds straight into the next Linear is seen
    /// by no one else, so it reuses memory: a per-thread workspace under no-grad, a buffer that backward recycles in
    /// a training step.
    /// </summary>
    public override Tensor Forward(Tensor input) => Run(input, null, LinearActivation.None);

    /// <summary>
    /// This stack followed by <paramref name="head"/> (with <paramref name="headActivation"/>), when the stack's output
    /// feeds that head alone (a policy's trunk and its action or value head): the same values as
    /// <c>head.Forward(Forward(input))</c>, with the stack's output reusing memory like the layers inside it.
    /// </summary>
    public Tensor Forward(Tensor input, Linear head, LinearActivation headActivation = LinearActivation.None)
    {
        ArgumentNullException.ThrowIfNull(head);
        return Run(input, head, headActivation);
    }

    private Tensor Run(Tensor input, Linear? head, LinearActivation headActivation)
    {
        var x = input;
        var list = Items;
        int slot = 0;
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not Linear linear)
            {
                x = list[i].Forward(x);
                continue;
            }
            var activation = i + 1 < list.Count ? FusedActivation(list[i + 1]) : null;
            if (activation != null) i++;
            bool nextIsLinear = i + 1 < list.Count ? list[i + 1] is Linear : head != null;
            if (nextIsLinear)
            {
                x = linear.ForwardIntermediate(x, activation ?? LinearActivation.None, slot);
                slot ^= 1;
            }
            else x = linear.Forward(x, activation ?? LinearActivation.None);
        }
        return head == null ? x : head.Forward(x, headActivation);
    }

    private static LinearActivation? FusedActivation(Module next) => next switch
    {
        ReLU => LinearActivation.Relu,
        Tanh => LinearActivation.Tanh,
        Sigmoid => LinearActivation.Sigmoid,
        _ => null,
    };
}
