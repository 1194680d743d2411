namespace RlPlat.Engine.Lazy;

/// <summary>
/// Optimizer updates in lazy mode: each rule is written as a lazy graph over the parameter, its gradient (inlined when
/// still pending) and its state, and runs as one fused kernel that writes the parameter and the state in the same pass.
/// The formulas follow <c>Optim.UpdateKernels</c> operation for operation, so lazy and eager steps agree to rounding.
/// </summary>
internal static class LazyUpdates
{
    /// <summary>True when a step on <paramref name="p"/> runs lazily: lazy mode is on (or the gradient is pending) and every tensor is float32 and contiguous.</summary>
    internal static bool Applies(Tensor p, Tensor grad, Tensor? state0 = null, Tensor? state1 = null) =>
        (LazyMode.IsActive || grad.IsLazy) && Plain(p) && Plain(grad) && (state0 == null || Plain(state0)) && (state1 == null || Plain(state1));

    private static bool Plain(Tensor t) => t.DType == DType.Float32 && t.IsContiguous && t.Numel > 0;

    /// <summary>Adam/AdamW (no AMSGrad): m ← m + (1-β1)(g-m); v ← β2·v + (1-β2)g²; p ← p - stepSize·m / (√v / bc2Sqrt + eps).</summary>
    internal static void Adam(Tensor p, Tensor grad, Tensor m, Tensor v, float beta1, float beta2, float stepSize, float bc2Sqrt, float eps, float l2, float decoupledScale)
    {
        int n = p.Numel;
        var P = Leaf(p);
        var pk = decoupledScale != 1 ? Op("Mul", n, P, C(decoupledScale)) : P;
        var G = LazyGraph.Operand(grad, n);
        var gk = l2 != 0 ? Op("Add", n, G, Op("Mul", n, C(l2), pk)) : G;
        var M = Leaf(m);
        var mk = Op("Add", n, M, Op("Mul", n, C(1 - beta1), Op("Sub", n, gk, M)));
        var vk = Op("Add", n, Op("Mul", n, C(beta2), Leaf(v)), Op("Mul", n, Op("Mul", n, C(1 - beta2), gk), gk));
        var den = Op("Add", n, Op("Div", n, Op("Sqrt", n, vk), C(bc2Sqrt)), C(eps));
        var pNew = Op("Sub", n, pk, Op("Div", n, Op("Mul", n, C(stepSize), mk), den));
        LazyRealizer.RealizeInto(pNew, Tensor.ArrayOf<float>(p), p.offset, [(mk, Tensor.ArrayOf<float>(m), m.offset), (vk, Tensor.ArrayOf<float>(v), v.offset)]);
    }

    /// <summary>SGD: d = g + wd·p; with momentum buf ← μ·buf + (1-τ)d (buf = d on the first step), d = nesterov ? d + μ·buf : buf; p ← p - lr·d.</summary>
    internal static void Sgd(Tensor p, Tensor grad, Tensor? buf, float lr, float wd, float momentum, float dampening, bool nesterov, bool first)
    {
        int n = p.Numel;
        var P = Leaf(p);
        var G = LazyGraph.Operand(grad, n);
        var d = Op("Add", n, G, Op("Mul", n, C(wd), P));
        LazyNode? b = null;
        if (buf != null)
        {
            b = first ? d : Op("Add", n, Op("Mul", n, C(momentum), Leaf(buf)), Op("Mul", n, C(1 - dampening), d));
            // The buffer is a result of its own even when it equals d: a Store node needs a node distinct from d.
            if (ReferenceEquals(b, d)) b = LazyNode.OfCopy(d);
            d = nesterov ? Op("Add", n, d, Op("Mul", n, C(momentum), b)) : b;
        }
        var pNew = Op("Sub", n, P, Op("Mul", n, C(lr), d));
        LazyRealizer.RealizeInto(pNew, Tensor.ArrayOf<float>(p), p.offset, b == null ? [] : [(b, Tensor.ArrayOf<float>(buf!), buf!.offset)]);
    }

    private static LazyNode Leaf(Tensor t) => LazyNode.OfBuffer(t);

    private static LazyNode C(float value) => LazyNode.OfConstant(value);

    private static LazyNode Op(string op, int n, params LazyNode[] children) => LazyNode.OfOp(op, n, children);
}
