using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>
/// The one table of fusible ops: each op's name (as it appears in <see cref="ExprNode"/>), its expression struct (arity =
/// its number of type parameters), and the eager kernel op it replaces in lazy mode (null when no eager op maps to it).
/// </summary>
public static class FusedOps
{
    /// <summary>One row of the table.</summary>
    public sealed record Op(string Name, Type ExprType, Type? EagerOp)
    {
        /// <summary>Number of operands.</summary>
        public int Arity => ExprType.GetGenericArguments().Length;
    }

    /// <summary>Every fusible op, in table order.</summary>
    public static readonly IReadOnlyList<Op> All =
    [
        new("Neg", typeof(Neg<>), typeof(NegOp)),
        new("Abs", typeof(Abs<>), typeof(AbsOp)),
        new("Square", typeof(Square<>), typeof(SquareOp)),
        new("Exp", typeof(Exp<>), typeof(ExpOp)),
        new("Log", typeof(Log<>), typeof(LogOp)),
        new("Sqrt", typeof(Sqrt<>), typeof(SqrtOp)),
        new("Recip", typeof(Recip<>), typeof(ReciprocalOp)),
        new("Sin", typeof(Sin<>), typeof(SinOp)),
        new("Cos", typeof(Cos<>), typeof(CosOp)),
        new("Relu", typeof(Relu<>), typeof(ReluOp)),
        new("Sigmoid", typeof(Sigmoid<>), typeof(SigmoidOp)),
        new("Tanh", typeof(Tanh<>), typeof(TanhOp)),
        new("Add", typeof(Add<,>), typeof(AddOp)),
        new("Sub", typeof(Sub<,>), typeof(SubOp)),
        new("Mul", typeof(Mul<,>), typeof(MulOp)),
        new("Div", typeof(Div<,>), typeof(DivOp)),
        new("Max", typeof(Max<,>), typeof(MaximumOp)),
        new("Min", typeof(Min<,>), typeof(MinimumOp)),
        new("Pow", typeof(Pow<,>), typeof(PowOp)),
        new("Gt", typeof(Gt<,>), null), // the eager Gt yields bool, the fused one 0/1 floats: no lazy mapping
        new("Select", typeof(Select<,,>), null),
    ];

    private static readonly Dictionary<string, Op> ByName = All.ToDictionary(o => o.Name);
    private static readonly Dictionary<Type, string> ByEagerOp = All.Where(o => o.EagerOp != null).ToDictionary(o => o.EagerOp!, o => o.Name);

    /// <summary>The row for <paramref name="name"/>, or null when no fused op has that name.</summary>
    public static Op? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Names of the ops with <paramref name="arity"/> operands.</summary>
    public static IReadOnlySet<string> NamesWithArity(int arity) => All.Where(o => o.Arity == arity).Select(o => o.Name).ToHashSet();

    /// <summary>The fused op that computes eager op struct <typeparamref name="TOp"/>, or null (cached per type: no lookup per call).</summary>
    internal static string? ForEager<TOp>() => EagerName<TOp>.Value;

    private static class EagerName<TOp>
    {
        internal static readonly string? Value = ByEagerOp.GetValueOrDefault(typeof(TOp));
    }
}
