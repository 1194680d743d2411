using ILGPU;

namespace RlPlat.Engine.Backends.Gpu.Kernels;

/// <summary>Operand geometry of one C[m, n] = A[m, k] · B[k, n] with arbitrary element strides for A and B.</summary>
internal struct GemmArgs
{
    public int M, N, K;
    public int AOff, ARow, ACol;
    public int BOff, BRow, BCol;
    public int COff;
}

/// <summary>
/// A tiled shared-memory SGEMM: each 256-thread group computes a 64×64 tile of C, staging 64×16 slices of A and 16×64
/// slices of B in shared memory; each thread accumulates a 4×4 block (rows ty + 16i, columns tx + 16j, so stores coalesce).
/// </summary>
internal static class MatMulKernels
{
    public const int Tile = 64, Depth = 16, Threads = 256;

    public static void Sgemm(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmArgs g)
    {
        var sa = SharedMemory.Allocate<float>(Depth * Tile); // [k][m]
        var sb = SharedMemory.Allocate<float>(Depth * Tile); // [k][n]
        int t = Group.IdxX, tx = t & 15, ty = t >> 4;
        int row0 = Grid.IdxY * Tile, col0 = Grid.IdxX * Tile;
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int k0 = 0; k0 < g.K; k0 += Depth)
        {
            for (int l = 0; l < 4; l++)
            {
                int e = t + l * Threads;
                int mi = e >> 4, ka = e & 15, r = row0 + mi, kk = k0 + ka;
                sa[ka * Tile + mi] = r < g.M && kk < g.K ? a[g.AOff + r * g.ARow + kk * g.ACol] : 0f;
                int kb = e >> 6, ni = e & 63, col = col0 + ni, kr = k0 + kb;
                sb[kb * Tile + ni] = kr < g.K && col < g.N ? b[g.BOff + kr * g.BRow + col * g.BCol] : 0f;
            }
            Group.Barrier();
            for (int kk = 0; kk < Depth; kk++)
            {
                int ab = kk * Tile + ty, bb = kk * Tile + tx;
                float a0 = sa[ab], a1 = sa[ab + 16], a2 = sa[ab + 32], a3 = sa[ab + 48];
                float b0 = sb[bb], b1 = sb[bb + 16], b2 = sb[bb + 32], b3 = sb[bb + 48];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            Group.Barrier();
        }
        Store(c, g, row0 + ty, col0 + tx, c00, c01, c02, c03);
        Store(c, g, row0 + ty + 16, col0 + tx, c10, c11, c12, c13);
        Store(c, g, row0 + ty + 32, col0 + tx, c20, c21, c22, c23);
        Store(c, g, row0 + ty + 48, col0 + tx, c30, c31, c32, c33);
    }

    private static void Store(ArrayView<float> c, GemmArgs g, int r, int col, float v0, float v1, float v2, float v3)
    {
        if (r >= g.M) return;
        int o = g.COff + r * g.N;
        if (col < g.N) c[o + col] = v0;
        if (col + 16 < g.N) c[o + col + 16] = v1;
        if (col + 32 < g.N) c[o + col + 32] = v2;
        if (col + 48 < g.N) c[o + col + 48] = v3;
    }
}
