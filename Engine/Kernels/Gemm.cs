using System.Numerics.Tensors;

namespace RlPlat.Engine.Kernels;

/// <summary>General matrix multiply over strided memory (row-major C).</summary>
public static unsafe class Gemm
{
    /// <summary>
    /// C[i,j] = alpha * sum_p A[i,p] * B[p,j] + beta * C[i,j]; A element (i,p) at a[i*aRow + p*aCol], B (p,j) at b[p*bRow + j*bCol],
    /// C (i,j) at c[i*cRow + j]. beta == 0 overwrites C without reading it.
    /// </summary>
    public static void Sgemm(int m, int n, int k, float alpha, float* a, long aRow, long aCol, float* b, long bRow, long bCol, float beta, float* c, long cRow)
    {
        float[]? packedB = null;
        if (bCol != 1)
        {
            packedB = new float[k * n];
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++) packedB[p * n + j] = b[p * bRow + j * bCol];
        }
        fixed (float* pb = packedB)
        {
            float* bb = packedB != null ? pb : b;
            long br = packedB != null ? n : bRow;
            for (int i = 0; i < m; i++)
            {
                var crow = new Span<float>(c + i * cRow, n);
                if (beta == 0) crow.Clear();
                else if (beta != 1) TensorPrimitives.Multiply(crow, beta, crow);
                for (int p = 0; p < k; p++)
                {
                    float av = alpha * a[i * aRow + p * aCol];
                    if (av == 0) continue;
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(bb + p * br, n), av, crow, crow);
                }
            }
        }
    }

    /// <summary>Double-precision version of <see cref="Sgemm"/>.</summary>
    public static void Dgemm(int m, int n, int k, double alpha, double* a, long aRow, long aCol, double* b, long bRow, long bCol, double beta, double* c, long cRow)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * aRow + p * aCol] * b[p * bRow + j * bCol];
                c[i * cRow + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * cRow + j]);
            }
    }
}
