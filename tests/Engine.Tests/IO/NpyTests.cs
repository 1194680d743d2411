using RlPlat.Engine.IO;

namespace RlPlat.Engine.Tests.IO;

/// <summary>.npy reading and writing: round trips for every dtype and shape, files written by real NumPy, and corrupt files.</summary>
public class NpyTests
{
    /// <summary>Where make_fixtures.py wrote its files (copied beside the test assembly).</summary>
    internal static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "IO", "Fixtures", name);

    /// <summary>The values make_fixtures.py gives the flat C-order index i, per dtype.</summary>
    internal static Array Expected(DType dtype, int count)
    {
        Array a = Array.CreateInstance(dtype.ClrType(), count);
        for (int i = 0; i < count; i++)
        {
            object v = dtype switch
            {
                DType.Float32 => (float)(i * 0.5 - 3),
                DType.Float64 => i * 0.5 - 3,
                DType.Int32 => i * 7 - 20,
                DType.Int64 => (long)(i * 7 - 20),
                DType.UInt8 => (byte)(i * 37 % 256),
                _ => i % 3 == 0,
            };
            a.SetValue(v, i);
        }
        return a;
    }

    private static NpyArray Sample(DType dtype, params int[] shape)
    {
        long count = 1;
        foreach (int d in shape) count *= d;
        return new NpyArray(dtype, shape, Expected(dtype, (int)count));
    }

    private static NpyArray RoundTrip(NpyArray array)
    {
        using var stream = new MemoryStream();
        Npy.Write(stream, array);
        Assert.That(stream.Length % 64, Is.EqualTo(array.Count * array.DType.SizeOf() % 64), "data starts on a 64-byte boundary");
        stream.Position = 0;
        var back = Npy.Read(stream);
        Assert.That(stream.Position, Is.EqualTo(stream.Length), "reader stops at the end of the data");
        return back;
    }

    private static readonly DType[] AllDTypes = [DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.Bool, DType.UInt8];

    private static readonly int[][] Shapes = [[], [0], [5], [2, 3], [3, 0, 2], [2, 3, 4, 1], [1, 1, 1, 1, 1, 7]];

    [Test]
    public void RoundTripsEveryDTypeAndShape([ValueSource(nameof(AllDTypes))] DType dtype, [ValueSource(nameof(Shapes))] int[] shape)
    {
        var array = Sample(dtype, shape);
        var back = RoundTrip(array);
        Assert.That(back.DType, Is.EqualTo(dtype));
        Assert.That(back.Shape, Is.EqualTo(shape));
        Assert.That(back.Data, Is.EqualTo(array.Data));
        Assert.That(back.Data.GetType(), Is.EqualTo(array.Data.GetType()));
    }

    [Test]
    public void RoundTripsSpecialFloats()
    {
        float[] data = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue];
        var back = RoundTrip(new NpyArray(DType.Float32, [6], data));
        var bits = Array.ConvertAll((float[])back.Data, BitConverter.SingleToInt32Bits);
        Assert.That(bits, Is.EqualTo(Array.ConvertAll(data, BitConverter.SingleToInt32Bits)));
    }

    /// <summary>NumPy's files of each dtype, little-endian, C order, shape (2, 3), as written by np.save.</summary>
    private static readonly object[] NativeFixtures =
    [
        new object[] { "le_f4_2x3.npy", DType.Float32 }, new object[] { "le_f8_2x3.npy", DType.Float64 },
        new object[] { "le_i4_2x3.npy", DType.Int32 }, new object[] { "le_i8_2x3.npy", DType.Int64 },
        new object[] { "le_u1_2x3.npy", DType.UInt8 }, new object[] { "le_b1_2x3.npy", DType.Bool },
    ];

    /// <summary>The same arrays stored big-endian or in format versions 2.0 and 3.0.</summary>
    private static readonly object[] OtherFixtures =
    [
        new object[] { "be_f4_2x3.npy", DType.Float32 }, new object[] { "be_f8_2x3.npy", DType.Float64 },
        new object[] { "be_i4_2x3.npy", DType.Int32 }, new object[] { "be_i8_2x3.npy", DType.Int64 },
        new object[] { "v2_f4_2x3.npy", DType.Float32 }, new object[] { "v3_f4_2x3.npy", DType.Float32 },
    ];

    [TestCaseSource(nameof(NativeFixtures))]
    [TestCaseSource(nameof(OtherFixtures))]
    public void ReadsNumPyFiles(string file, DType dtype)
    {
        var array = Npy.Read(Fixture(file));
        Assert.That(array.DType, Is.EqualTo(dtype));
        Assert.That(array.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(array.Data, Is.EqualTo(Expected(dtype, 6)));
    }

    [TestCaseSource(nameof(NativeFixtures))]
    public void WritesTheSameBytesAsNumPy(string file, DType dtype)
    {
        using var stream = new MemoryStream();
        Npy.Write(stream, Sample(dtype, 2, 3));
        Assert.That(stream.ToArray(), Is.EqualTo(File.ReadAllBytes(Fixture(file))));
    }

    [Test]
    public void WritesScalarsAndVectorsAsNumPyDoes()
    {
        using var scalar = new MemoryStream();
        Npy.Write(scalar, new NpyArray(DType.Float64, [], new[] { 2.5 }));
        Assert.That(scalar.ToArray(), Is.EqualTo(File.ReadAllBytes(Fixture("scalar_f8.npy"))));
        using var vector = new MemoryStream();
        Npy.Write(vector, Sample(DType.Int32, 5));
        Assert.That(vector.ToArray(), Is.EqualTo(File.ReadAllBytes(Fixture("vector_i4_5.npy"))));
    }

    [TestCase("fortran_f4_3x4.npy", DType.Float32, new[] { 3, 4 })]
    [TestCase("fortran_i8_2x3x4.npy", DType.Int64, new[] { 2, 3, 4 })]
    [TestCase("fortran_be_f8_2x3x2.npy", DType.Float64, new[] { 2, 3, 2 })]
    public void ConvertsFortranOrderToCOrder(string file, DType dtype, int[] shape)
    {
        var array = Npy.Read(Fixture(file));
        Assert.That(array.Shape, Is.EqualTo(shape));
        int count = 1;
        foreach (int d in shape) count *= d;
        Assert.That(array.Data, Is.EqualTo(Expected(dtype, count)));
    }

    [Test]
    public void ReadsScalarAndEmptyNumPyFiles()
    {
        var scalar = Npy.Read(Fixture("scalar_f8.npy"));
        Assert.That(scalar.Shape, Is.Empty);
        Assert.That(scalar.Data, Is.EqualTo(new[] { 2.5 }));
        var empty = Npy.Read(Fixture("empty_f4_0x3.npy"));
        Assert.That(empty.Shape, Is.EqualTo(new[] { 0, 3 }));
        Assert.That(empty.Data.Length, Is.Zero);
    }

    [TestCase("unsupported_f2.npy", "'<f2' (16-bit float)")]
    [TestCase("unsupported_U10.npy", "'<U10' (unicode string)")]
    [TestCase("unsupported_i2.npy", "'<i2'")]
    [TestCase("unsupported_object.npy", "'|O' (Python object)")]
    [TestCase("unsupported_structured.npy", "structured dtype")]
    [TestCase("corrupt_magic.npy", "bad magic")]
    [TestCase("corrupt_too_short.npy", "too short for the 6-byte magic")]
    [TestCase("corrupt_version.npy", "format version 7.0")]
    [TestCase("corrupt_header_past_end.npy", "header length 60000 runs past the end")]
    [TestCase("corrupt_header_dict.npy", "bad header dict")]
    [TestCase("corrupt_truncated_data.npy", "data is 19 bytes but shape (2, 3) of float32 needs 24")]
    public void RejectsUnsupportedDTypesAndCorruptFilesNamingTheProblem(string file, string message)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Npy.Read(Fixture(file)));
        Assert.That(ex!.Message, Does.Contain(message).And.Contain(file));
    }

    [Test]
    public void TruncatedDataOnANonSeekableStreamIsStillCaught()
    {
        var bytes = File.ReadAllBytes(Fixture("corrupt_truncated_data.npy"));
        using var stream = new NonSeekable(bytes);
        var ex = Assert.Throws<InvalidDataException>(() => Npy.Read(stream));
        Assert.That(ex!.Message, Does.Contain("data is 19 bytes but shape (2, 3) of float32 needs 24"));
    }

    [TestCase("{'descr': '<f4', 'fortran_order': False}", "lacks a tuple 'shape'")]
    [TestCase("{'descr': '<f4', 'shape': (2,)}", "lacks a True/False 'fortran_order'")]
    [TestCase("{'fortran_order': False, 'shape': (2,)}", "lacks 'descr'")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "unexpected key 'extra'")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", "invalid dimension -2")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2,) } x", "trailing characters")]
    [TestCase("['descr']", "header is not a dict")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2,3L)}", null)]
    public void ParsesOrRejectsHeaderDicts(string header, string? message)
    {
        if (message is null)
        {
            var info = NpyHeader.Parse(header);
            Assert.That(info.Shape, Is.EqualTo(new[] { 2, 3 }));
            return;
        }

        var ex = Assert.Throws<InvalidDataException>(() => NpyHeader.Parse(header));
        Assert.That(ex!.Message, Does.Contain(message));
    }

    [Test]
    public void UsesVersion2WhenTheHeaderOutgrows64KiB()
    {
        // 25000 dims of 1 spell "1, " 25000 times: a 75 KB shape tuple, past version 1.0's 2-byte header length
        var shape = Enumerable.Repeat(1, 25000).ToArray();
        var array = new NpyArray(DType.UInt8, shape, new byte[] { 42 });
        using var stream = new MemoryStream();
        Npy.Write(stream, array);
        Assert.That(stream.ToArray()[6], Is.EqualTo(2), "major version");
        Assert.That(stream.Length % 64, Is.EqualTo(1));
        stream.Position = 0;
        var back = Npy.Read(stream);
        Assert.That(back.Shape, Is.EqualTo(shape));
        Assert.That(back.Data, Is.EqualTo(new byte[] { 42 }));
    }

    [Test]
    public void WriteRejectsMismatchedArrays()
    {
        using var stream = new MemoryStream();
        var ex = Assert.Throws<ArgumentException>(() => Npy.Write(stream, new NpyArray(DType.Float32, [2, 3], new float[5])));
        Assert.That(ex!.Message, Does.Contain("(2, 3) needs 6 elements, data has 5"));
        ex = Assert.Throws<ArgumentException>(() => Npy.Write(stream, new NpyArray(DType.Float32, [2], new double[2])));
        Assert.That(ex!.Message, Does.Contain("float32 needs a 1-D Single[]"));
        ex = Assert.Throws<ArgumentException>(() => Npy.Write(stream, new NpyArray(DType.Int32, [-1], new int[0])));
        Assert.That(ex!.Message, Does.Contain("negative dimension"));
        Assert.That(stream.Length, Is.Zero, "nothing written for a bad array");
    }

    [Test]
    public void FileWriteIsAtomicAndLeavesNoTempFiles()
    {
        string dir = Path.Combine(Path.GetTempPath(), "npy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "a.npy");
            Npy.Write(path, Sample(DType.Float64, 4, 2));
            Npy.Write(path, Sample(DType.Int64, 3));
            Assert.That(Directory.GetFiles(dir), Is.EqualTo(new[] { path }));
            var back = Npy.Read(path);
            Assert.That(back.Shape, Is.EqualTo(new[] { 3 }));
            Assert.That(back.Data, Is.EqualTo(new long[] { -20, -13, -6 }));
            // A failing write keeps the old file intact.
            Assert.Throws<ArgumentException>(() => Npy.Write(path, new NpyArray(DType.Int64, [4], new long[3])));
            Assert.That(Npy.Read(path).Data, Is.EqualTo(new long[] { -20, -13, -6 }));
            Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A read-only stream that cannot seek, as a zip entry or a socket.</summary>
    internal sealed class NonSeekable(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
