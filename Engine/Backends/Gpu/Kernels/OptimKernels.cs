using ILGPU;

namespace RlPlat.Engine.Backends.Gpu.Kernels;

/// <summary>Scalars of one Adam/AdamW step (see <c>UpdateKernels.Adam</c> for the formula).</summary>
internal struct AdamArgs
{
    public float Beta1, Beta2, StepSize, Bc2Sqrt, Eps, L2, Decay;
    public int Amsgrad, POff, GOff;
}

/// <summary>Scalars of one SGD step (see <c>UpdateKernels.Sgd</c>).</summary>
internal struct SgdArgs
{
    public float Lr, Wd, Momentum, Dampening;
    public int Nesterov, First, UseMomentum, POff, GOff;
}

/// <summary>Optimizer updates as one kernel per parameter: each thread updates one element and its state in place.</summary>
internal static class OptimKernels
{
    public static void Adam(Index1D i, ArrayView<float> p, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v, ArrayView<float> vMax, AdamArgs a)
    {
        float pk = p[a.POff + i] * a.Decay;
        float gk = g[a.GOff + i] + a.L2 * pk;
        float mk = m[i] + (1f - a.Beta1) * (gk - m[i]);
        float vk = a.Beta2 * v[i] + (1f - a.Beta2) * gk * gk;
        m[i] = mk;
        v[i] = vk;
        if (a.Amsgrad != 0)
        {
            float mx = vMax[i] > vk ? vMax[i] : vk;
            vMax[i] = mx;
            vk = mx;
        }
        p[a.POff + i] = pk - a.StepSize * mk / (MathF.Sqrt(vk) / a.Bc2Sqrt + a.Eps);
    }

    public static void Sgd(Index1D i, ArrayView<float> p, ArrayView<float> g, ArrayView<float> buf, SgdArgs a)
    {
        float pk = p[a.POff + i];
        float d = g[a.GOff + i] + a.Wd * pk;
        if (a.UseMomentum != 0)
        {
            float b = a.First != 0 ? d : a.Momentum * buf[i] + (1f - a.Dampening) * d;
            buf[i] = b;
            d = a.Nesterov != 0 ? d + a.Momentum * b : b;
        }
        p[a.POff + i] = pk - a.Lr * d;
    }
}
