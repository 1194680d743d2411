namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>One backend's expression struct types: the leaves, the Let/Ref bindings, and how an op node becomes a type.</summary>
/// <param name="Op">The type of an op (or store) node given its children's types.</param>
internal sealed record ExprTypeTable(Type[] Inputs, Type[] Broadcasts, Type[] Constants, Type[] Lets, Type[] Refs, Func<ExprNode, Type[], Type> Op);

/// <summary>
/// Composes an <see cref="ExprNode"/> DAG into a nested generic struct type over a backend's <see cref="ExprTypeTable"/>
/// (the CPU's <see cref="FusedCompiler"/> and the GPU's fused kernels share it): nodes reached more than once are bound
/// by Let/Ref, so each is computed once per element.
/// </summary>
internal static class ExprTypeBuilder
{
    /// <summary>The expression type of <paramref name="root"/>, with up to <c>table.Lets.Length</c> shared nodes let-bound.</summary>
    public static Type Build(ExprNode root, ExprTypeTable table)
    {
        var uses = new Dictionary<ExprNode, int>(ReferenceEqualityComparer.Instance);
        var postOrder = new List<ExprNode>();
        Count(root, uses, postOrder);
        var shared = new List<ExprNode>();
        foreach (var n in postOrder)
            if ((n.Kind is ExprKind.Op or ExprKind.Store) && uses[n] > 1 && shared.Count < table.Lets.Length) shared.Add(n);
        var slotOf = new Dictionary<ExprNode, int>(ReferenceEqualityComparer.Instance);
        // Bind inner shared nodes first: a later binding may refer to an earlier slot.
        var bound = new Type[shared.Count];
        for (int s = 0; s < shared.Count; s++)
        {
            bound[s] = TypeOf(shared[s], table, slotOf, top: shared[s]);
            slotOf[shared[s]] = s;
        }
        var body = TypeOf(root, table, slotOf, top: null);
        for (int s = shared.Count - 1; s >= 0; s--) body = table.Lets[s].MakeGenericType(bound[s], body);
        return body;
    }

    private static void Count(ExprNode n, Dictionary<ExprNode, int> uses, List<ExprNode> postOrder)
    {
        if (uses.TryGetValue(n, out var c)) { uses[n] = c + 1; return; }
        uses[n] = 1;
        foreach (var ch in n.Children) Count(ch, uses, postOrder);
        postOrder.Add(n);
    }

    private static Type TypeOf(ExprNode n, ExprTypeTable table, Dictionary<ExprNode, int> slotOf, ExprNode? top)
    {
        if (!ReferenceEquals(n, top) && slotOf.TryGetValue(n, out var slot)) return table.Refs[slot];
        switch (n.Kind)
        {
            case ExprKind.Input: return table.Inputs[n.Slot];
            case ExprKind.BroadcastInput: return table.Broadcasts[n.Slot];
            case ExprKind.Constant: return table.Constants[n.Slot];
        }
        var args = new Type[n.Children.Count];
        for (int i = 0; i < args.Length; i++) args[i] = TypeOf(n.Children[i], table, slotOf, top);
        return table.Op(n, args);
    }
}
