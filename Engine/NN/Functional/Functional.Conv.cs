using System.Numerics;

namespace RlPlat.Engine.NN;

/// <summary>Geometry of a 2-D sliding window: kernel, stride, padding, dilation.</summary>
public readonly record struct Window2d(int KernelH, int KernelW, int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0, int DilationH = 1, int DilationW = 1)
{
    /// <summary>Output size along one dim (PyTorch's formula).</summary>
    public static int OutSize(int input, int kernel, int stride, int pad, int dilation) => (input + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;

    /// <summary>Output height for input height <paramref name="h"/>.</summary>
    public int OutH(int h) => OutSize(h, KernelH, StrideH, PadH, DilationH);

    /// <summary>Output width for input width <paramref name="w"/>.</summary>
    public int OutW(int w) => OutSize(w, KernelW, StrideW, PadW, DilationW);

    internal void Check(int h, int w, string op)
    {
        if (KernelH <= 0 || KernelW <= 0 || StrideH <= 0 || StrideW <= 0 || DilationH <= 0 || DilationW <= 0 || PadH < 0 || PadW < 0)
            throw new ArgumentException($"{op}: invalid window {this}");
        if (OutH(h) <= 0 || OutW(w) <= 0)
            throw new ArgumentException($"{op}: input {h}x{w} is too small for {this} (output {OutH(h)}x{OutW(w)})");
    }
}

public static partial class Functional
{
    /// <summary>
    /// im2col: input [N, C, H, W] → patches [N·outH·outW, C·kh·kw], one row per output position (zero padding). The
    /// backward pass folds (col2im) the gradient back, adding overlapping windows.
    /// </summary>
    public static Tensor Unfold(Tensor input, Window2d win)
    {
        if (input.Rank != 4 || !input.DType.IsFloat()) throw new ArgumentException($"Unfold: expects a float input [N, C, H, W], got {Shape.Format(input.ShapeSpan)} ({input.DType.Name()})");
        int n = input.Size(0), c = input.Size(1), h = input.Size(2), w = input.Size(3);
        win.Check(h, w, "Unfold");
        int oh = win.OutH(h), ow = win.OutW(w);
        var x = input.Contiguous();
        Tensor cols;
        if (x.IsOnGpu) cols = Backends.Gpu.GpuConv.Unfold(x, win);
        else
        {
            cols = Tensor.Zeros(x.DType, n * oh * ow, c * win.KernelH * win.KernelW);
            if (x.DType == DType.Float32) Im2Col<float>(x, cols, n, c, h, w, win, fold: false);
            else Im2Col<double>(x, cols, n, c, h, w, win, fold: false);
        }
        if (Autograd.Needs(x))
            Autograd.Attach(cols, "Unfold", [x], g => [Fold(g, [n, c, h, w], win)]);
        return cols;
    }

    /// <summary>col2im, the adjoint of <see cref="Unfold"/>: sums patch rows back into an image of <paramref name="shape"/>.</summary>
    public static Tensor Fold(Tensor cols, int[] shape, Window2d win)
    {
        int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        int rows = n * win.OutH(h) * win.OutW(w), k = c * win.KernelH * win.KernelW;
        if (cols.Rank != 2 || cols.Size(0) != rows || cols.Size(1) != k)
            throw new ArgumentException($"Fold: patches of shape {Shape.Format(cols.ShapeSpan)} do not match image {Shape.Format(shape)} with {win} (expected [{rows},{k}])");
        var g = cols.Contiguous();
        Tensor img;
        if (g.IsOnGpu) img = Backends.Gpu.GpuConv.Fold(g, shape, win);
        else
        {
            img = Tensor.Zeros(g.DType, shape);
            if (g.DType == DType.Float32) Im2Col<float>(img, g, n, c, h, w, win, fold: true);
            else Im2Col<double>(img, g, n, c, h, w, win, fold: true);
        }
        if (Autograd.Needs(g)) Autograd.Attach(img, "Fold", [g], gi => [Unfold(gi, win)]);
        return img;
    }

    // Below this many patch elements a single thread is faster than Parallel.For's overhead.
    private const int ParallelThreshold = 1 << 18;

    /// <summary>
    /// Copies windows of the image into rows of the patch matrix, or (fold) adds them back. Images of a batch touch
    /// disjoint memory, so large batches run in parallel over the batch.
    /// </summary>
    private static void Im2Col<T>(Tensor img, Tensor cols, int n, int c, int h, int w, Window2d win, bool fold) where T : unmanaged, INumber<T>
    {
        var imgData = Tensor.ArrayOf<T>(img);
        var colData = Tensor.ArrayOf<T>(cols);
        int imgOff = img.Offset, colOff = cols.Offset;
        if ((long)cols.Numel >= ParallelThreshold && n > 1)
            Parallel.For(0, n, b => Im2ColImage(imgData, imgOff, colData, colOff, b, c, h, w, win, fold));
        else
            for (int b = 0; b < n; b++) Im2ColImage(imgData, imgOff, colData, colOff, b, c, h, w, win, fold);
    }

    private static void Im2ColImage<T>(T[] imgData, int imgOff, T[] colData, int colOff, int b, int c, int h, int w, Window2d win, bool fold) where T : unmanaged, INumber<T>
    {
        int oh = win.OutH(h), ow = win.OutW(w), kh = win.KernelH, kw = win.KernelW;
        int k = c * kh * kw;
        var img = imgData.AsSpan(imgOff + b * c * h * w, c * h * w);
        var cols = colData.AsSpan(colOff + b * oh * ow * k, oh * ow * k);
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                var row = cols.Slice((oy * ow + ox) * k, k);
                int y0 = oy * win.StrideH - win.PadH, x0 = ox * win.StrideW - win.PadW;
                int col = 0;
                for (int ch = 0; ch < c; ch++)
                {
                    int plane = ch * h;
                    for (int ky = 0; ky < kh; ky++)
                    {
                        int iy = y0 + ky * win.DilationH;
                        if ((uint)iy >= (uint)h) { col += kw; continue; }
                        int rowBase = (plane + iy) * w;
                        if (win.DilationW == 1 && x0 >= 0 && x0 + kw <= w)
                        {
                            // Interior windows: one contiguous run per kernel row.
                            var src = img.Slice(rowBase + x0, kw);
                            var dst = row.Slice(col, kw);
                            if (fold) for (int i = 0; i < kw; i++) src[i] += dst[i];
                            else src.CopyTo(dst);
                            col += kw;
                            continue;
                        }
                        for (int kx = 0; kx < kw; kx++, col++)
                        {
                            int ix = x0 + kx * win.DilationW;
                            if ((uint)ix >= (uint)w) continue;
                            if (fold) img[rowBase + ix] += row[col];
                            else row[col] = img[rowBase + ix];
                        }
                    }
                }
            }
    }

    /// <summary>
    /// 2-D convolution (cross-correlation, as PyTorch): input [N, C, H, W], weight [O, C/groups, kh, kw], bias [O].
    /// im2col then one matrix product per group.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, int strideH = 1, int strideW = 1, int padH = 0, int padW = 0, int dilationH = 1, int dilationW = 1, int groups = 1)
    {
        if (input.Rank != 4 || weight.Rank != 4)
            throw new ArgumentException($"Conv2d: expects input [N, C, H, W] and weight [O, C/groups, kh, kw], got {Shape.Format(input.ShapeSpan)} and {Shape.Format(weight.ShapeSpan)}");
        int n = input.Size(0), c = input.Size(1), o = weight.Size(0);
        if (groups <= 0 || c % groups != 0 || o % groups != 0 || weight.Size(1) != c / groups)
            throw new ArgumentException($"Conv2d: input channels {c}, weight {Shape.Format(weight.ShapeSpan)} and groups {groups} do not fit (need C % groups == 0, O % groups == 0, weight dim 1 == C/groups)");
        var win = new Window2d(weight.Size(2), weight.Size(3), strideH, strideW, padH, padW, dilationH, dilationW);
        win.Check(input.Size(2), input.Size(3), "Conv2d");
        int oh = win.OutH(input.Size(2)), ow = win.OutW(input.Size(3));
        int og = o / groups, cg = c / groups;
        // Each group is a Linear over patch rows (the fused node gives dW = gᵀ·patches directly).
        Tensor y;
        if (groups == 1) y = Linear(Unfold(input, win), weight.Reshape(o, -1), bias);
        else
        {
            var parts = new Tensor[groups];
            for (int g = 0; g < groups; g++)
                parts[g] = Linear(Unfold(input.Narrow(1, g * cg, cg), win), weight.Narrow(0, g * og, og).Reshape(og, -1), bias?.Narrow(0, g * og, og));
            y = Tensor.Cat(parts, 1);
        }
        // Rows are output positions: [N·oh·ow, O] → [N, O, oh, ow].
        return y.Reshape(n, oh, ow, o).Permute(0, 3, 1, 2).Contiguous();
    }

    /// <summary>1-D convolution: input [N, C, L], weight [O, C/groups, k]; a 2-D convolution over a height of 1.</summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        if (input.Rank != 3 || weight.Rank != 3)
            throw new ArgumentException($"Conv1d: expects input [N, C, L] and weight [O, C/groups, k], got {Shape.Format(input.ShapeSpan)} and {Shape.Format(weight.ShapeSpan)}");
        return Conv2d(input.Unsqueeze(2), weight.Unsqueeze(2), bias, 1, stride, 0, padding, 1, dilation, groups).Squeeze(2);
    }

    /// <summary>Max over windows of each channel; padding counts as -∞.</summary>
    public static Tensor MaxPool2d(Tensor input, Window2d win)
    {
        var x = win.PadH > 0 || win.PadW > 0 ? input.Pad([win.PadW, win.PadW, win.PadH, win.PadH], double.NegativeInfinity) : input;
        var (patches, shape) = ChannelPatches(x, win with { PadH = 0, PadW = 0 }, "MaxPool2d");
        return patches.Amax([1]).Reshape(shape);
    }

    /// <summary>Mean over windows of each channel; zero padding is counted (PyTorch's count_include_pad=True).</summary>
    public static Tensor AvgPool2d(Tensor input, Window2d win)
    {
        var (patches, shape) = ChannelPatches(input, win, "AvgPool2d");
        return patches.Mean([1]).Reshape(shape);
    }

    private static (Tensor Patches, int[] Shape) ChannelPatches(Tensor input, Window2d win, string op)
    {
        if (input.Rank != 4) throw new ArgumentException($"{op}: expects [N, C, H, W], got {Shape.Format(input.ShapeSpan)}");
        int n = input.Size(0), c = input.Size(1), h = input.Size(2), w = input.Size(3);
        win.Check(h, w, op);
        var patches = Unfold(input.Reshape(n * c, 1, h, w), win);
        return (patches, [n, c, win.OutH(h), win.OutW(w)]);
    }

    /// <summary>Average pooling to a fixed output size; window i spans [⌊i·H/oh⌋, ⌈(i+1)·H/oh⌉) as PyTorch.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, int outH, int outW)
    {
        if (input.Rank != 4 || outH <= 0 || outW <= 0) throw new ArgumentException($"AdaptiveAvgPool2d: expects [N, C, H, W] and positive output size, got {Shape.Format(input.ShapeSpan)} -> {outH}x{outW}");
        int h = input.Size(2), w = input.Size(3);
        if (h % outH == 0 && w % outW == 0) return AvgPool2d(input, new Window2d(h / outH, w / outW, h / outH, w / outW));
        var rows = new Tensor[outH];
        for (int i = 0; i < outH; i++)
        {
            int y0 = i * h / outH, y1 = ((i + 1) * h + outH - 1) / outH;
            var cells = new Tensor[outW];
            for (int j = 0; j < outW; j++)
            {
                int x0 = j * w / outW, x1 = ((j + 1) * w + outW - 1) / outW;
                cells[j] = input.Narrow(2, y0, y1 - y0).Narrow(3, x0, x1 - x0).Mean([2, 3]);
            }
            rows[i] = Tensor.Stack(cells, 2);
        }
        return Tensor.Stack(rows, 2);
    }
}
