namespace RlPlat.Engine.NN;

/// <summary>
/// The base of every layer and network (PyTorch's <c>nn.Module</c>): parameters, buffers and submodules found by
/// registration under names, train/eval mode, gradients, state dicts. The tree may change while training (add,
/// remove, replace); <see cref="Parameters"/> and optimizers see the change at once.
/// </summary>
public abstract class Module
{
    private static int structureVersion;

    private readonly OrderedDictionary<string, Parameter?> parameters = new();
    private readonly OrderedDictionary<string, Tensor?> buffers = new();
    private readonly OrderedDictionary<string, Module?> modules = new();

    /// <summary>
    /// Incremented whenever any module anywhere gains, loses or replaces a parameter or submodule, so optimizers can
    /// cache their parameter lists and rebuild them only after a structural change.
    /// </summary>
    public static int StructureVersion => Volatile.Read(ref structureVersion);

    internal static void BumpStructureVersion() => Interlocked.Increment(ref structureVersion);

    /// <summary>True in training mode (dropout active, batch norm uses batch statistics).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Computes the output for <paramref name="input"/>. Modules without a single-input forward (containers such as <see cref="ModuleList"/>) refuse.</summary>
    public virtual Tensor Forward(Tensor input) =>
        throw new InvalidOperationException($"{GetType().Name} has no single-input Forward; call its own methods or iterate its children");

    /// <summary>Shorthand for <see cref="Forward(Tensor)"/>.</summary>
    public Tensor Call(Tensor input) => Forward(input);

    // ---------- registration ----------

    /// <summary>Registers (or replaces, or with null removes) a parameter under <paramref name="name"/>.</summary>
    public Parameter? RegisterParameter(string name, Parameter? parameter)
    {
        CheckName(name, "RegisterParameter");
        if (buffers.ContainsKey(name) || modules.ContainsKey(name))
            throw new ArgumentException($"RegisterParameter: '{name}' is already a buffer or submodule of {GetType().Name}");
        parameters[name] = parameter;
        BumpStructureVersion();
        return parameter;
    }

    /// <summary>Wraps <paramref name="value"/> in a new <see cref="Parameter"/> and registers it.</summary>
    public Parameter RegisterParameter(string name, Tensor value) => RegisterParameter(name, new Parameter(value))!;

    /// <summary>Registers (or replaces) a buffer: state that is saved but not trained (running means, counters).</summary>
    public Tensor? RegisterBuffer(string name, Tensor? buffer)
    {
        CheckName(name, "RegisterBuffer");
        if (parameters.ContainsKey(name) || modules.ContainsKey(name))
            throw new ArgumentException($"RegisterBuffer: '{name}' is already a parameter or submodule of {GetType().Name}");
        buffers[name] = buffer;
        return buffer;
    }

    /// <summary>Registers (or replaces, or with null removes) a submodule under <paramref name="name"/>.</summary>
    public T? RegisterModule<T>(string name, T? module) where T : Module
    {
        CheckName(name, "RegisterModule");
        if (parameters.ContainsKey(name) || buffers.ContainsKey(name))
            throw new ArgumentException($"RegisterModule: '{name}' is already a parameter or buffer of {GetType().Name}");
        if (ReferenceEquals(module, this)) throw new ArgumentException($"RegisterModule: a module cannot contain itself ('{name}')");
        modules[name] = module;
        BumpStructureVersion();
        return module;
    }

    /// <summary>Removes the parameter, buffer or submodule called <paramref name="name"/>; false when there is none.</summary>
    public bool Remove(string name)
    {
        bool removed = parameters.Remove(name) | buffers.Remove(name) | modules.Remove(name);
        if (removed) BumpStructureVersion();
        return removed;
    }

    private static void CheckName(string name, string op)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"{op}: name '{name}' must be non-empty and contain no '.'");
    }

    /// <summary>The directly registered parameter <paramref name="name"/>, or null.</summary>
    public Parameter? GetParameter(string name) => parameters.TryGetValue(name, out var p) ? p : null;

    /// <summary>The directly registered buffer <paramref name="name"/>, or null.</summary>
    public Tensor? GetBuffer(string name) => buffers.TryGetValue(name, out var b) ? b : null;

    /// <summary>The direct submodule <paramref name="name"/>, or null.</summary>
    public Module? GetModule(string name) => modules.TryGetValue(name, out var m) ? m : null;

    // ---------- traversal ----------

    /// <summary>Every parameter in the tree (each once, in registration order, depth first).</summary>
    public IEnumerable<Parameter> Parameters(bool recurse = true)
    {
        foreach (var (_, p) in NamedParameters(recurse: recurse)) yield return p;
    }

    /// <summary>Every parameter with its dotted path ("body.0.weight"); a parameter shared by two modules is listed once.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters(string prefix = "", bool recurse = true)
    {
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (path, m) in NamedModules(prefix))
        {
            foreach (var (name, p) in m.parameters)
                if (p != null && seen.Add(p)) yield return (Join(path, name), p);
            if (!recurse) yield break;
        }
    }

    /// <summary>Every buffer with its dotted path.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "")
    {
        foreach (var (path, m) in NamedModules(prefix))
            foreach (var (name, b) in m.buffers)
                if (b != null) yield return (Join(path, name), b);
    }

    /// <summary>Every buffer in the tree.</summary>
    public IEnumerable<Tensor> Buffers()
    {
        foreach (var (_, b) in NamedBuffers()) yield return b;
    }

    /// <summary>The direct submodules with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        foreach (var (name, m) in modules)
            if (m != null) yield return (name, m);
    }

    /// <summary>The direct submodules.</summary>
    public IEnumerable<Module> Children()
    {
        foreach (var (_, m) in NamedChildren()) yield return m;
    }

    /// <summary>This module and every descendant, each once, with dotted paths ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(string, Module)>();
        stack.Push((prefix, this));
        while (stack.Count > 0)
        {
            var (path, m) = stack.Pop();
            if (!seen.Add(m)) continue;
            yield return (path, m);
            // Push in reverse so children come out in registration order.
            for (int i = m.modules.Count - 1; i >= 0; i--)
            {
                var (name, child) = m.modules.GetAt(i);
                if (child != null) stack.Push((Join(path, name), child));
            }
        }
    }

    /// <summary>This module and every descendant.</summary>
    public IEnumerable<Module> Modules()
    {
        foreach (var (_, m) in NamedModules()) yield return m;
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>Total number of parameter elements.</summary>
    public long ParameterCount()
    {
        long n = 0;
        foreach (var p in Parameters()) n += p.Numel;
        return n;
    }

    // ---------- modes and gradients ----------

    /// <summary>Sets training mode on this module and every descendant; returns this.</summary>
    public Module Train(bool mode = true)
    {
        foreach (var m in Modules()) m.Training = mode;
        return this;
    }

    /// <summary>Sets evaluation mode (Train(false)); returns this.</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears every parameter's gradient: sets it to null (PyTorch's default set_to_none), or zeroes it in place (see <see cref="Optim.Optimizer.ZeroGrad"/>).</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters()) Optim.Optimizer.ClearGrad(p, setToNone);
    }

    /// <summary>
    /// Moves every parameter (with its gradient) and buffer to <paramref name="device"/>, like PyTorch's <c>module.to(device)</c>;
    /// returns this. Parameters keep their identity, so optimizers built earlier follow them (their state moves on its next step).
    /// </summary>
    public Module To(Device device)
    {
        using var _ = Autograd.NoGrad();
        foreach (var m in Modules())
        {
            foreach (var p in m.parameters.Values)
            {
                if (p == null || p.Value.Device == device) continue;
                var grad = p.Grad;
                p.Value = p.Value.Detach().To(device);
                if (grad != null) p.Grad = grad.To(device);
            }
            for (int i = 0; i < m.buffers.Count; i++)
            {
                var (name, b) = m.buffers.GetAt(i);
                if (b != null && b.Device != device) m.buffers[name] = b.To(device);
            }
        }
        return this;
    }

    /// <summary>
    /// Converts every float parameter and buffer to <paramref name="dtype"/> (float32 or float64), like PyTorch's
    /// <c>module.double()</c>; returns this. Optimizers built earlier keep following the parameters.
    /// </summary>
    public Module To(DType dtype)
    {
        if (!dtype.IsFloat()) throw new ArgumentException($"To: modules hold float parameters; cannot convert to {dtype.Name()}");
        using var _ = Autograd.NoGrad();
        foreach (var m in Modules())
        {
            foreach (var p in m.parameters.Values)
                if (p != null && p.Value.DType != dtype) p.Value = p.Value.Detach().To(dtype);
            for (int i = 0; i < m.buffers.Count; i++)
            {
                var (name, b) = m.buffers.GetAt(i);
                if (b != null && b.DType.IsFloat() && b.DType != dtype) m.buffers[name] = b.To(dtype);
            }
        }
        return this;
    }

    // ---------- state ----------

    /// <summary>Parameters and buffers by dotted name (detached tensors sharing storage with the module).</summary>
    public StateDict StateDict()
    {
        var sd = new StateDict();
        foreach (var (name, p) in NamedParameters()) sd[name] = p.Value.Detach();
        foreach (var (name, b) in NamedBuffers()) sd[name] = b.Detach();
        return sd;
    }

    /// <summary>
    /// Copies <paramref name="state"/> into the parameters and buffers. With <paramref name="strict"/>, missing or
    /// unexpected keys are an error; a shape mismatch is always an error. Everything is checked before anything is
    /// written, so a failed load leaves the module unchanged.
    /// </summary>
    public virtual void LoadStateDict(StateDict state, bool strict = true)
    {
        var targets = new List<(string Name, Tensor Target, Tensor Source)>();
        var missing = new List<string>();
        var mismatched = new List<string>();
        var known = new HashSet<string>();
        void Check(string name, Tensor target)
        {
            known.Add(name);
            if (!state.TryGetValue(name, out var src)) { missing.Add(name); return; }
            if (!src.ShapeSpan.SequenceEqual(target.ShapeSpan))
                mismatched.Add($"{name}: checkpoint {Engine.Shape.Format(src.ShapeSpan)} vs module {Engine.Shape.Format(target.ShapeSpan)}");
            else targets.Add((name, target, src));
        }
        foreach (var (name, p) in NamedParameters()) Check(name, p.Value);
        foreach (var (name, b) in NamedBuffers()) Check(name, b);
        var unexpected = new List<string>();
        foreach (var key in state.Keys) if (!known.Contains(key)) unexpected.Add(key);
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var msg = $"LoadStateDict into {GetType().Name}:";
            if (missing.Count > 0) msg += $" missing keys [{string.Join(", ", missing)}];";
            if (unexpected.Count > 0) msg += $" unexpected keys [{string.Join(", ", unexpected)}];";
            if (mismatched.Count > 0) msg += $" shape mismatch [{string.Join("; ", mismatched)}];";
            throw new ArgumentException(msg.TrimEnd(';'));
        }
        using (Autograd.NoGrad())
            foreach (var (_, target, src) in targets) target.CopyInPlace(src);
    }

    /// <summary>A one-line description (the type and its settings); containers list their children.</summary>
    public override string ToString() => GetType().Name;
}
