using ILGPU;

namespace RlPlat.Engine.Backends.Gpu.Kernels;

/// <summary>Geometry of an im2col/col2im pass over a contiguous [N, C, H, W] image and its [N·OH·OW, C·KH·KW] patches.</summary>
internal struct ConvArgs
{
    public int N, C, H, W, KH, KW, SH, SW, PH, PW, DH, DW, OH, OW;
    public int ImgOff, ColOff;
}

/// <summary>im2col (one thread per patch element) and its adjoint col2im (one thread per image element, gathering, no atomics).</summary>
internal static class ConvKernels
{
    public static void Unfold<T>(Index1D i, ArrayView<T> img, ArrayView<T> cols, ConvArgs a) where T : unmanaged
    {
        int k = a.C * a.KH * a.KW;
        int r = i / k, q = i - r * k;
        int b = r / (a.OH * a.OW), pos = r - b * a.OH * a.OW;
        int oy = pos / a.OW, ox = pos - oy * a.OW;
        int ch = q / (a.KH * a.KW), rem = q - ch * a.KH * a.KW;
        int ky = rem / a.KW, kx = rem - ky * a.KW;
        int iy = oy * a.SH - a.PH + ky * a.DH, ix = ox * a.SW - a.PW + kx * a.DW;
        cols[a.ColOff + i] = iy >= 0 && iy < a.H && ix >= 0 && ix < a.W ? img[a.ImgOff + ((b * a.C + ch) * a.H + iy) * a.W + ix] : default;
    }

    private static int Col(ConvArgs a, int i, int ky, int kx)
    {
        int ix = i % a.W, t = i / a.W;
        int iy = t % a.H;
        t /= a.H;
        int ch = t % a.C, b = t / a.C;
        int ty = iy + a.PH - ky * a.DH, tx = ix + a.PW - kx * a.DW;
        if (ty < 0 || tx < 0 || ty % a.SH != 0 || tx % a.SW != 0) return -1;
        int oy = ty / a.SH, ox = tx / a.SW;
        if (oy >= a.OH || ox >= a.OW) return -1;
        return a.ColOff + (b * a.OH * a.OW + oy * a.OW + ox) * (a.C * a.KH * a.KW) + (ch * a.KH + ky) * a.KW + kx;
    }

    public static void FoldF(Index1D i, ArrayView<float> cols, ArrayView<float> img, ConvArgs a)
    {
        float s = 0;
        for (int ky = 0; ky < a.KH; ky++)
            for (int kx = 0; kx < a.KW; kx++)
            {
                int c = Col(a, i, ky, kx);
                if (c >= 0) s += cols[c];
            }
        img[a.ImgOff + i] = s;
    }

    public static void FoldD(Index1D i, ArrayView<double> cols, ArrayView<double> img, ConvArgs a)
    {
        double s = 0;
        for (int ky = 0; ky < a.KH; ky++)
            for (int kx = 0; kx < a.KW; kx++)
            {
                int c = Col(a, i, ky, kx);
                if (c >= 0) s += cols[c];
            }
        img[a.ImgOff + i] = s;
    }
}
