using System.Numerics;
using System.Runtime.InteropServices;

namespace RlPlat.Engine.Optim;

/// <summary>
/// Fused per-parameter update loops over spans (one pass, no temporaries), generic over float and double and
/// vectorized with <see cref="Vector{T}"/>. Each follows PyTorch's single-tensor update order so results agree to
/// float rounding.
/// </summary>
internal static class UpdateKernels
{
    /// <summary>Adam/AdamW: m ← m + (1-β1)(g-m); v ← β2·v + (1-β2)g²; p ← p - stepSize·m / (√v / bc2Sqrt + eps).</summary>
    public static void Adam<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> m, Span<T> v, Span<T> vMax, T beta1, T beta2, T stepSize, T bc2Sqrt, T eps, T l2, T decoupledScale, bool amsgrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T one = T.One;
        T w1 = one - beta1, w2 = one - beta2;
        int i = 0;
        if (Vector.IsHardwareAccelerated && !amsgrad)
        {
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vm = MemoryMarshal.Cast<T, Vector<T>>(m);
            var vv = MemoryMarshal.Cast<T, Vector<T>>(v);
            var b2 = new Vector<T>(beta2); var cw1 = new Vector<T>(w1); var cw2 = new Vector<T>(w2);
            var ss = new Vector<T>(stepSize); var bc = new Vector<T>(bc2Sqrt); var e = new Vector<T>(eps);
            var wd = new Vector<T>(l2); var dec = new Vector<T>(decoupledScale);
            for (int k = 0; k < vp.Length; k++)
            {
                var pk = vp[k] * dec;
                var gk = vg[k] + wd * pk;
                var mk = vm[k] + cw1 * (gk - vm[k]);
                var vk = b2 * vv[k] + cw2 * gk * gk;
                vm[k] = mk;
                vv[k] = vk;
                vp[k] = pk - ss * mk / (Vector.SquareRoot(vk) / bc + e);
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            T pk = p[i] * decoupledScale;
            T gk = g[i] + l2 * pk;
            T mk = m[i] + w1 * (gk - m[i]);
            T vk = beta2 * v[i] + w2 * gk * gk;
            m[i] = mk;
            v[i] = vk;
            if (amsgrad)
            {
                vMax[i] = T.Max(vMax[i], vk);
                vk = vMax[i];
            }
            p[i] = pk - stepSize * mk / (T.Sqrt(vk) / bc2Sqrt + eps);
        }
    }

    /// <summary>SGD with optional momentum/Nesterov: d = g + wd·p; buf ← μ·buf + (1-τ)d (buf = d at first); p ← p - lr·(nesterov ? d + μ·buf : buf).</summary>
    public static void Sgd<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> buf, T lr, T wd, T momentum, T dampening, bool nesterov, bool first)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool useMomentum = momentum != T.Zero;
        T keep = T.One - dampening;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vb = MemoryMarshal.Cast<T, Vector<T>>(buf);
            var cl = new Vector<T>(lr); var cw = new Vector<T>(wd); var cm = new Vector<T>(momentum); var ck = new Vector<T>(keep);
            for (int k = 0; k < vp.Length; k++)
            {
                var d = vg[k] + cw * vp[k];
                if (useMomentum)
                {
                    var b = first ? d : cm * vb[k] + ck * d;
                    vb[k] = b;
                    d = nesterov ? d + cm * b : b;
                }
                vp[k] -= cl * d;
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            T d = g[i] + wd * p[i];
            if (useMomentum)
            {
                T b = first ? d : momentum * buf[i] + keep * d;
                buf[i] = b;
                d = nesterov ? d + momentum * b : b;
            }
            p[i] -= lr * d;
        }
    }

    /// <summary>RMSprop: sq ← α·sq + (1-α)g²; avg = √(sq - ḡ²) (centered) or √sq, + eps; with momentum buf ← μ·buf + g/avg, p ← p - lr·buf; else p ← p - lr·g/avg.</summary>
    public static void RmsProp<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> sq, Span<T> gAvg, Span<T> buf, T lr, T alpha, T eps, T wd, T momentum, bool centered)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T w = T.One - alpha;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = g[i] + wd * p[i];
            T s = alpha * sq[i] + w * gi * gi;
            sq[i] = s;
            T avg;
            if (centered)
            {
                T ga = gAvg[i] + w * (gi - gAvg[i]);
                gAvg[i] = ga;
                avg = T.Sqrt(s - ga * ga) + eps;
            }
            else avg = T.Sqrt(s) + eps;
            if (momentum > T.Zero)
            {
                T b = momentum * buf[i] + gi / avg;
                buf[i] = b;
                p[i] -= lr * b;
            }
            else p[i] -= lr * gi / avg;
        }
    }

    /// <summary>Adagrad: sum ← sum + g²; p ← p - clr·g / (√sum + eps).</summary>
    public static void Adagrad<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> sum, T clr, T eps, T wd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < p.Length; i++)
        {
            T gi = g[i] + wd * p[i];
            T s = sum[i] + gi * gi;
            sum[i] = s;
            p[i] -= clr * gi / (T.Sqrt(s) + eps);
        }
    }
}
