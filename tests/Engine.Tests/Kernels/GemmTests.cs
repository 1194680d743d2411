using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.Tests.Kernels;

/// <summary>Gemm against a naive double-precision triple loop over many shapes, strides and alpha/beta combinations.</summary>
[NonParallelizable] // some cases flip Gemm's process-wide kernel and thread settings
public unsafe class GemmTests
{
    private static readonly object[] Shapes =
    [
        new[] { 1, 1, 1 }, new[] { 7, 13, 5 }, new[] { 2, 3, 4 }, new[] { 12, 32, 8 }, new[] { 13, 33, 9 },
        new[] { 11, 31, 17 }, new[] { 24, 64, 64 }, new[] { 25, 65, 63 }, new[] { 64, 64, 64 }, new[] { 1, 100, 37 },
        new[] { 100, 1, 37 }, new[] { 37, 29, 300 }, new[] { 150, 70, 260 }, new[] { 300, 257, 129 }, new[] { 129, 300, 513 },
    ];

    /// <summary>A dense m x n matrix with strides chosen by layout: row-major, column-major ("transposed"), or a sliced view.</summary>
    private sealed class Matrix
    {
        public readonly double[] Values;
        public readonly long Row, Col;
        public readonly int Offset;
        public readonly int Length;

        public Matrix(int rows, int cols, string layout, Random rng)
        {
            (Row, Col, Offset, Length) = layout switch
            {
                "row" => ((long)cols, 1L, 0, rows * cols),
                "col" => (1L, (long)rows, 0, rows * cols),
                // a view into a bigger row-major buffer: padded rows, starting past a margin
                "slice" => ((long)cols + 5, 1L, 3, 3 + rows * (cols + 5)),
                _ => throw new ArgumentException(layout),
            };
            Values = new double[Math.Max(Length, 1)];
            for (int i = 0; i < Values.Length; i++) Values[i] = rng.NextDouble() * 2 - 1;
        }

        public double this[int i, int j] => Values[Offset + i * Row + j * Col];
    }

    private static double[] Reference(int m, int n, int k, double alpha, Matrix a, Matrix b, double beta, double[] c0, int cRow)
    {
        var c = (double[])c0.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i, p] * b[p, j];
                c[i * cRow + j] = alpha * s + (beta == 0 ? 0 : beta * c0[i * cRow + j]);
            }
        return c;
    }

    private static void CheckSgemm(int m, int n, int k, float alpha, float beta, string aLayout, string bLayout, int cPad = 0, bool nanC = false)
    {
        var rng = new Random(m * 1000003 + n * 1009 + k);
        var a = new Matrix(m, k, aLayout, rng);
        var b = new Matrix(k, n, bLayout, rng);
        // Round inputs to float so the double reference sees exactly what the float kernel sees.
        for (int i = 0; i < a.Values.Length; i++) a.Values[i] = (float)a.Values[i];
        for (int i = 0; i < b.Values.Length; i++) b.Values[i] = (float)b.Values[i];
        int cRow = n + cPad;
        var c0 = new double[m * cRow];
        for (int i = 0; i < c0.Length; i++) c0[i] = nanC ? double.NaN : (float)(rng.NextDouble() * 2 - 1);
        var expected = Reference(m, n, k, alpha, a, b, beta, c0, cRow);

        float[] af = Array.ConvertAll(a.Values, v => (float)v), bf = Array.ConvertAll(b.Values, v => (float)v);
        float[] cf = Array.ConvertAll(c0, v => (float)v);
        fixed (float* pa = af, pb = bf, pc = cf)
            Gemm.Sgemm(m, n, k, alpha, pa + a.Offset, a.Row, a.Col, pb + b.Offset, b.Row, b.Col, beta, pc, cRow);

        double tol = 1e-5 * Math.Sqrt(k + 1) * 4;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < cRow; j++)
            {
                int at = i * cRow + j;
                if (j >= n)
                {
                    // padding between rows of C is never written
                    Assert.That(BitConverter.SingleToInt32Bits(cf[at]), Is.EqualTo(BitConverter.SingleToInt32Bits((float)c0[at])), $"C padding ({i},{j}) touched");
                    continue;
                }
                Assert.That((double)cf[at], Is.EqualTo(expected[at]).Within(tol * (1 + Math.Abs(expected[at]))),
                    $"C({i},{j}) for m={m} n={n} k={k} alpha={alpha} beta={beta} A={aLayout} B={bLayout}");
            }
    }

    private static void CheckDgemm(int m, int n, int k, double alpha, double beta, string aLayout, string bLayout)
    {
        var rng = new Random(m * 7919 + n * 31 + k);
        var a = new Matrix(m, k, aLayout, rng);
        var b = new Matrix(k, n, bLayout, rng);
        var c0 = new double[m * n];
        for (int i = 0; i < c0.Length; i++) c0[i] = rng.NextDouble() * 2 - 1;
        var expected = Reference(m, n, k, alpha, a, b, beta, c0, n);
        var c = (double[])c0.Clone();
        fixed (double* pa = a.Values, pb = b.Values, pc = c)
            Gemm.Dgemm(m, n, k, alpha, pa + a.Offset, a.Row, a.Col, pb + b.Offset, b.Row, b.Col, beta, pc, n);
        for (int i = 0; i < c.Length; i++)
            Assert.That(c[i], Is.EqualTo(expected[i]).Within(1e-12 * (k + 1) * (1 + Math.Abs(expected[i]))), $"C[{i}] for m={m} n={n} k={k}");
    }

    [TestCaseSource(nameof(Shapes))]
    public void SgemmMatchesNaiveLoop_RowMajor(int[] s) => CheckSgemm(s[0], s[1], s[2], 1f, 0f, "row", "row");

    [TestCaseSource(nameof(Shapes))]
    public void SgemmMatchesNaiveLoop_TransposedOperandsAlphaBeta(int[] s) => CheckSgemm(s[0], s[1], s[2], 0.5f, -1.5f, "col", "col");

    [TestCaseSource(nameof(Shapes))]
    public void SgemmMatchesNaiveLoop_SlicedViewsPaddedC(int[] s) => CheckSgemm(s[0], s[1], s[2], -2f, 1f, "slice", "slice", cPad: 3);

    [TestCaseSource(nameof(Shapes))]
    public void DgemmMatchesNaiveLoop(int[] s)
    {
        CheckDgemm(s[0], s[1], s[2], 1.0, 0.0, "row", "row");
        CheckDgemm(s[0], s[1], s[2], 0.75, 2.0, "col", "slice");
    }

    [TestCase(1f, 0f)]
    [TestCase(2f, 0f)]
    [TestCase(1f, 1f)]
    [TestCase(-1f, 0.5f)]
    [TestCase(0.25f, -3f)]
    public void SgemmAlphaBetaCombinations(float alpha, float beta)
    {
        CheckSgemm(7, 13, 5, alpha, beta, "row", "col");
        CheckSgemm(300, 257, 129, alpha, beta, "row", "row");
    }

    [TestCase(7, 13, 5)]
    [TestCase(64, 64, 64)]
    [TestCase(300, 257, 129)]
    [TestCase(129, 300, 513)]
    [TestCase(1, 50, 20)]
    [TestCase(50, 1, 20)]
    public void BetaZeroOverwritesNaNFilledC(int m, int n, int k)
    {
        CheckSgemm(m, n, k, 1.5f, 0f, "row", "col", nanC: true);
        CheckSgemm(m, n, k, 1.5f, 0f, "row", "row", nanC: true);
    }

    [TestCase(1, 64, 4)]
    [TestCase(1, 700, 300)]
    [TestCase(64, 1, 64)]
    [TestCase(700, 1, 300)]
    [TestCase(1, 1, 9)]
    public void MatrixVectorProductsMatchNaiveLoopInEveryLayout(int m, int n, int k)
    {
        foreach (string aLayout in new[] { "row", "col", "slice" })
            foreach (string bLayout in new[] { "row", "col", "slice" })
            {
                CheckSgemm(m, n, k, 1f, 0f, aLayout, bLayout);
                CheckSgemm(m, n, k, -0.5f, 2f, aLayout, bLayout, cPad: 2);
                CheckDgemm(m, n, k, 0.5f, 1.0, aLayout, bLayout);
            }
    }

    [Test]
    public void KZeroScalesCByBeta()
    {
        float[] c = [1, 2, 3, 4, 5, 6];
        fixed (float* pc = c)
            Gemm.Sgemm(2, 3, 0, 1f, null, 0, 0, null, 0, 0, 3f, pc, 3);
        Assert.That(c, Is.EqualTo(new float[] { 3, 6, 9, 12, 15, 18 }));
    }

    [Test]
    public void KZeroBetaZeroClearsNaNs()
    {
        double[] c = [double.NaN, 1, double.PositiveInfinity, 2];
        fixed (double* pc = c)
            Gemm.Dgemm(2, 2, 0, 1.0, null, 0, 0, null, 0, 0, 0.0, pc, 2);
        Assert.That(c, Is.EqualTo(new double[] { 0, 0, 0, 0 }));
    }

    [Test]
    public void AlphaZeroDoesNotReadAOrB()
    {
        float[] c = [1, 2, 3, 4];
        fixed (float* pc = c)
            Gemm.Sgemm(2, 2, 5, 0f, null, 0, 0, null, 0, 0, 2f, pc, 2);
        Assert.That(c, Is.EqualTo(new float[] { 2, 4, 6, 8 }));
    }

    [Test]
    public void HandWorked2x2()
    {
        float[] a = [1, 2, 3, 4], b = [5, 6, 7, 8], c = new float[4];
        fixed (float* pa = a, pb = b, pc = c)
            Gemm.Sgemm(2, 2, 2, 1f, pa, 2, 1, pb, 2, 1, 0f, pc, 2);
        Assert.That(c, Is.EqualTo(new float[] { 19, 22, 43, 50 }));
    }

    [TestCase(300, 257, 129)]
    [TestCase(13, 33, 9)]
    public void Kernel256MatchesNaiveLoop(int m, int n, int k)
    {
        Gemm.Force256 = true;
        try
        {
            CheckSgemm(m, n, k, 0.5f, 2f, "row", "col");
            CheckDgemm(m, n, k, 1.0, 0.0, "col", "row");
        }
        finally
        {
            Gemm.Force256 = false;
        }
    }

    [Test]
    public void SingleThreadAndSmallBlocksGiveTheSameAnswer()
    {
        int savedThreads = Gemm.MaxThreads, kc = Gemm.KC, mc = Gemm.MC, nc = Gemm.NC;
        Gemm.MaxThreads = 1;
        // tiny blocks force every jc/pc/ic loop to iterate several times, with edge blocks in each
        Gemm.KC = 40;
        Gemm.MC = 30;
        Gemm.NC = 70;
        try
        {
            CheckSgemm(150, 170, 130, 1f, 0.5f, "row", "row");
            CheckDgemm(150, 170, 130, 1.0, 0.0, "slice", "col");
        }
        finally
        {
            Gemm.MaxThreads = savedThreads;
            Gemm.KC = kc;
            Gemm.MC = mc;
            Gemm.NC = nc;
        }
    }

    [Test]
    public void SplitsAcrossColumnsWhenWide()
    {
        // n > m: the parallel path splits by columns; 4 slabs exercise uneven slab boundaries
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = 4;
        try { CheckSgemm(130, 333, 140, 1f, 0f, "row", "row"); }
        finally { Gemm.MaxThreads = saved; }
    }

    [Test]
    public void RejectsBadArguments()
    {
        float[] c = new float[4];
        fixed (float* pc = c)
        {
            float* p = pc;
            var ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(-1, 2, 2, 1f, p, 2, 1, p, 2, 1, 0f, p, 2));
            Assert.That(ex!.Message, Does.Contain("m=-1"));
            ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(2, 2, 1, 1f, p, 1, 1, p, 2, 1, 0f, p, 1));
            Assert.That(ex!.Message, Does.Contain("1").And.Contain("n=2"));
            ex = Assert.Throws<ArgumentException>(() => Gemm.MaxThreads = 0);
            Assert.That(ex!.Message, Does.Contain("0"));
        }
    }
}
