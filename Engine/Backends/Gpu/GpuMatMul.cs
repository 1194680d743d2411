using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using RlPlat.Engine.Backends.Gpu.Kernels;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>Float32 matrix products on the device: cuBLAS when it loaded (and <see cref="Gpu.UseCuBlas"/>), else the tiled kernel.</summary>
internal static class GpuMatMul
{
    private static readonly System.Reflection.MethodInfo SgemmM = KernelMethods.Open(typeof(MatMulKernels), nameof(MatMulKernels.Sgemm));

    /// <summary>y[yOff..] (contiguous [m, n]) = A · B with A at aOff (strides aRow, aCol) and B at bOff (bRow, bCol).</summary>
    internal static void Gemm(Tensor a, Tensor b, Tensor y, int m, int n, int k, int aOff, int aRow, int aCol, int bOff, int bRow, int bCol, int yOff)
    {
        var dev = GpuTensors.DeviceOf(y);
        GpuTensors.On(dev, a, "MatMul");
        GpuTensors.On(dev, b, "MatMul");
        if (y.DType != DType.Float32)
            throw new NotSupportedException($"MatMul in {y.DType.Name()} is not supported on {dev.Device}: the GPU backend multiplies float32 matrices; convert with .Float() or move to the CPU with .To(Device.Cpu)");
        if (m == 0 || n == 0) return;
        dev.Bind();
        if (k == 0)
        {
            GpuTensors.View<float>(y).SubView(yOff, (long)m * n).MemSetToZero(dev.Stream);
            return;
        }
        if (RlPlat.Engine.Gpu.UseCuBlas && dev.CuBlas is { } blas && TryCuBlas(blas, dev, a, b, y, m, n, k, aOff, aRow, aCol, bOff, bRow, bCol, yOff)) return;
        var args = new GemmArgs { M = m, N = n, K = k, AOff = aOff, ARow = aRow, ACol = aCol, BOff = bOff, BRow = bRow, BCol = bCol, COff = yOff };
        var grid = new Index2D((n + MatMulKernels.Tile - 1) / MatMulKernels.Tile, (m + MatMulKernels.Tile - 1) / MatMulKernels.Tile);
        dev.GroupedKernel<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArgs>>(SgemmM)(
            dev.Stream, new KernelConfig(grid, new Index2D(MatMulKernels.Threads, 1)), GpuTensors.View<float>(a), GpuTensors.View<float>(b), GpuTensors.View<float>(y), args);
    }

    /// <summary>
    /// Row-major C = A·B is column-major Cᵀ = Bᵀ·Aᵀ: cuBLAS gets B first. A row-major operand (unit column stride) is
    /// passed as is, a transposed view (unit row stride) with the transpose flag; other layouts use the tiled kernel.
    /// </summary>
    private static bool TryCuBlas(CuBlas blas, GpuDevice dev, Tensor a, Tensor b, Tensor y, int m, int n, int k, int aOff, int aRow, int aCol, int bOff, int bRow, int bCol, int yOff)
    {
        if (!Operand(bRow, bCol, n, k, out var opB, out int ldb) || !Operand(aRow, aCol, k, m, out var opA, out int lda)) return false;
        var av = GpuTensors.View<float>(a);
        var bv = GpuTensors.View<float>(b);
        var yv = GpuTensors.View<float>(y);
        blas.Gemm(opB, opA, n, m, k, 1f, bv.SubView(bOff, bv.Length - bOff), ldb, av.SubView(aOff, av.Length - aOff), lda, 0f, yv.SubView(yOff, (long)m * n), n);
        return true;
    }

    /// <summary>The cuBLAS flag and leading dimension of a row-major operand with <paramref name="cols"/> columns and <paramref name="rows"/> rows.</summary>
    private static bool Operand(int rowStride, int colStride, int cols, int rows, out CuBlasOperation op, out int ld)
    {
        if (colStride == 1 && rowStride >= Math.Max(1, cols)) { op = CuBlasOperation.NonTranspose; ld = rowStride; return true; }
        if (rowStride == 1 && colStride >= Math.Max(1, rows)) { op = CuBlasOperation.Transpose; ld = colStride; return true; }
        op = default;
        ld = 0;
        return false;
    }
}
