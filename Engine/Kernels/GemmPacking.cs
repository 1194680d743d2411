using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RlPlat.Engine.Kernels;

/// <summary>Packs GEMM operands into the panel layouts the micro-kernels read, into per-thread reusable buffers.</summary>
internal static unsafe class GemmPacking
{
    // Fresh pages are slow to touch on these machines, so each thread keeps its packing buffers for good. They are pinned
    // managed arrays (not native memory) so that a retired thread-pool thread's buffers are collected with it.
    [ThreadStatic] private static byte[]? bufferA;
    [ThreadStatic] private static byte[]? bufferB;

    /// <summary>This thread's buffer for packed A, at least <paramref name="count"/> elements, 64-byte aligned.</summary>
    public static T* BufferA<T>(long count) where T : unmanaged => (T*)Get(ref bufferA, count * sizeof(T));

    /// <summary>This thread's buffer for packed B, at least <paramref name="count"/> elements, 64-byte aligned.</summary>
    public static T* BufferB<T>(long count) where T : unmanaged => (T*)Get(ref bufferB, count * sizeof(T));

    private static byte* Get(ref byte[]? buffer, long bytes)
    {
        if (buffer is null || buffer.Length < bytes + 64)
        {
            if (bytes > Array.MaxLength - 64)
                throw new ArgumentException($"Gemm: packing buffer of {bytes} bytes is too large");
            buffer = GC.AllocateUninitializedArray<byte>((int)(bytes + 64), pinned: true);
        }

        byte* p = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (byte*)(((nuint)p + 63) & ~(nuint)63);
    }

    /// <summary>
    /// Packs a kc x nc block of B (element (p,j) at b[p*bRow + j*bCol]) into ceil(nc/nr) panels of kc rows by nr columns,
    /// panel jr at dst + jr*kc, zero-padded past nc so edge tiles compute on zeros rather than stale (possibly NaN) data.
    /// </summary>
    public static void PackB<T>(int kc, int nc, T* b, long bRow, long bCol, T* dst, int nr) where T : unmanaged
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int w = Math.Min(nr, nc - jr);
            T* src = b + jr * bCol;
            T* panel = dst + (long)jr * kc;
            if (bCol == 1)
            {
                uint bytes = (uint)(w * sizeof(T));
                for (int p = 0; p < kc; p++)
                    Unsafe.CopyBlockUnaligned(panel + p * nr, src + p * bRow, bytes);
            }
            else
            {
                // Transposed B: walk each column down its contiguous (or shortest) stride.
                for (int j = 0; j < w; j++)
                {
                    T* s = src + j * bCol;
                    for (int p = 0; p < kc; p++) panel[p * nr + j] = s[p * bRow];
                }
            }

            if (w < nr)
                for (int p = 0; p < kc; p++) new Span<T>(panel + p * nr + w, nr - w).Clear();
        }
    }

    /// <summary>
    /// Packs an mc x kc block of A (element (i,p) at a[i*aRow + p*aCol]) into ceil(mc/mr) panels laid out [p][i] with mr
    /// rows, panel ir at dst + ir*kc, zero-padded past mc (the kernels read all MR rows of a packed panel).
    /// </summary>
    public static void PackA<T>(int mc, int kc, T* a, long aRow, long aCol, T* dst, int mr) where T : unmanaged
    {
        bool rowMajor = Math.Abs(aCol) <= Math.Abs(aRow);
        for (int ir = 0; ir < mc; ir += mr)
        {
            int h = Math.Min(mr, mc - ir);
            T* src = a + ir * aRow;
            T* panel = dst + (long)ir * kc;
            if (rowMajor)
            {
                for (int i = 0; i < h; i++)
                {
                    T* s = src + i * aRow;
                    T* d = panel + i;
                    for (int p = 0; p < kc; p++) d[p * mr] = s[p * aCol];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    T* s = src + p * aCol;
                    T* d = panel + p * mr;
                    for (int i = 0; i < h; i++) d[i] = s[i * aRow];
                }
            }

            if (h < mr)
                for (int p = 0; p < kc; p++) new Span<T>(panel + p * mr + h, mr - h).Clear();
        }
    }
}
