using System.Text;

namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>What an <see cref="ExprNode"/> is.</summary>
public enum ExprKind
{
    /// <summary>Element i of input slot <c>Slot</c>.</summary>
    Input,
    /// <summary>The single value of input slot <c>Slot</c>, broadcast to every element.</summary>
    BroadcastInput,
    /// <summary>Constant slot <c>Slot</c>.</summary>
    Constant,
    /// <summary>A function of its children, named by <c>Op</c>.</summary>
    Op,
    /// <summary>Its one child, also written to extra output <c>Slot</c> (1..3) of the kernel.</summary>
    Store,
}

/// <summary>
/// The backend-neutral description of a fused elementwise expression: a DAG of nodes over input and constant slots.
/// The CPU backend turns it into nested generic struct types (<see cref="FusedCompiler"/>); a GPU backend can do the same
/// with its own leaf types. Nodes reached more than once are computed once per element (let-bound).
/// </summary>
public sealed class ExprNode
{
    /// <summary>Unary ops the kernels know.</summary>
    public static readonly IReadOnlySet<string> UnaryOps = FusedOps.NamesWithArity(1);

    /// <summary>Binary ops the kernels know.</summary>
    public static readonly IReadOnlySet<string> BinaryOps = FusedOps.NamesWithArity(2);

    /// <summary>The node's kind.</summary>
    public ExprKind Kind { get; }

    /// <summary>The op name for <see cref="ExprKind.Op"/> nodes.</summary>
    public string? Op { get; }

    /// <summary>The slot of an input or constant leaf.</summary>
    public int Slot { get; }

    /// <summary>The operands of an op node.</summary>
    public IReadOnlyList<ExprNode> Children { get; }

    private ExprNode(ExprKind kind, string? op, int slot, ExprNode[] children)
    {
        Kind = kind;
        Op = op;
        Slot = slot;
        Children = children;
    }

    /// <summary>Element i of input <paramref name="slot"/>.</summary>
    public static ExprNode Input(int slot) => new(ExprKind.Input, null, CheckSlot(slot, 8, "input"), []);

    /// <summary>The one value of input <paramref name="slot"/> for every element.</summary>
    public static ExprNode Broadcast(int slot) => new(ExprKind.BroadcastInput, null, CheckSlot(slot, 8, "input"), []);

    /// <summary>Constant <paramref name="slot"/>.</summary>
    public static ExprNode Constant(int slot) => new(ExprKind.Constant, null, CheckSlot(slot, 8, "constant"), []);

    /// <summary><paramref name="value"/>, also written to extra output <paramref name="slot"/> (1..3): a kernel with several results.</summary>
    public static ExprNode Store(int slot, ExprNode value)
    {
        if (slot < 1 || slot > 3) throw new ArgumentOutOfRangeException(nameof(slot), slot, "a fused kernel has extra output slots 1..3");
        return new ExprNode(ExprKind.Store, null, slot, [value]);
    }

    /// <summary>An op over its operands.</summary>
    public static ExprNode Apply(string op, params ExprNode[] children)
    {
        int arity = FusedOps.Find(op)?.Arity ?? throw new ArgumentException($"fused expression: unknown op '{op}'");
        if (children.Length != arity) throw new ArgumentException($"fused expression: {op} takes {arity} operands, got {children.Length}");
        return new ExprNode(ExprKind.Op, op, 0, children);
    }

    private static int CheckSlot(int slot, int max, string what) =>
        slot >= 0 && slot < max ? slot : throw new ArgumentOutOfRangeException(nameof(slot), slot, $"a fused kernel has {max} {what} slots");

    /// <summary>A canonical text of the expression, e.g. <c>Mul(Add(In0,C0),In1)</c>: the kernel cache key.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    private void Write(StringBuilder sb)
    {
        switch (Kind)
        {
            case ExprKind.Input: sb.Append("In").Append(Slot); return;
            case ExprKind.BroadcastInput: sb.Append("Bc").Append(Slot); return;
            case ExprKind.Constant: sb.Append('C').Append(Slot); return;
        }
        if (Kind == ExprKind.Store) sb.Append("St").Append(Slot).Append('(');
        else sb.Append(Op).Append('(');
        for (int i = 0; i < Children.Count; i++)
        {
            if (i > 0) sb.Append(',');
            Children[i].Write(sb);
        }
        sb.Append(')');
    }
}
