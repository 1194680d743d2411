using RlPlat.Engine.IO;

namespace RlPlat.Engine.Tests.IO;

/// <summary>.npz archives: NumPy's stored and compressed archives, round trips, and corrupt archives.</summary>
public class NpzTests
{
    [Test]
    public void ReadsNumPySavez()
    {
        var arrays = Npz.Read(NpyTests.Fixture("stored.npz"));
        Assert.That(arrays.Keys, Is.EquivalentTo(new[] { "weights", "steps", "done" }));
        Assert.That(arrays["weights"].Shape, Is.EqualTo(new[] { 3, 4 }));
        Assert.That(arrays["weights"].Data, Is.EqualTo(NpyTests.Expected(DType.Float32, 12)));
        Assert.That(arrays["steps"].Data, Is.EqualTo(new long[] { -20, -13, -6, 1, 8 }));
        Assert.That(arrays["done"].Data, Is.EqualTo(new[] { true, false, false, true }));
    }

    [Test]
    public void ReadsNumPySavezCompressed()
    {
        var arrays = Npz.Read(NpyTests.Fixture("compressed.npz"));
        Assert.That(arrays.Keys, Is.EquivalentTo(new[] { "weights", "obs", "scalar" }));
        Assert.That(arrays["weights"].Data, Is.EqualTo(NpyTests.Expected(DType.Float32, 12)));
        Assert.That(arrays["obs"].DType, Is.EqualTo(DType.UInt8));
        Assert.That(arrays["obs"].Shape, Is.EqualTo(new[] { 2, 2, 3 }));
        Assert.That(arrays["obs"].Data, Is.EqualTo(NpyTests.Expected(DType.UInt8, 12)));
        Assert.That(arrays["scalar"].Shape, Is.Empty);
        Assert.That(arrays["scalar"].Data, Is.EqualTo(new[] { 2.5 }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void RoundTripsThroughAFile(bool compressed)
    {
        var arrays = new Dictionary<string, NpyArray>
        {
            ["w"] = new(DType.Float32, [2, 2], new[] { 1f, -2f, 3.5f, 0f }),
            ["b"] = new(DType.Float64, [0], Array.Empty<double>()),
            ["mask"] = new(DType.Bool, [3], new[] { true, false, true }),
            ["step"] = new(DType.Int64, [], new[] { 123456789012L }),
        };
        string path = Path.Combine(Path.GetTempPath(), $"npz-{Guid.NewGuid():N}.npz");
        try
        {
            Npz.Write(path, arrays, compressed);
            var back = Npz.Read(path);
            Assert.That(back.Keys, Is.EquivalentTo(arrays.Keys));
            foreach (var (key, array) in arrays)
            {
                Assert.That(back[key].DType, Is.EqualTo(array.DType), key);
                Assert.That(back[key].Shape, Is.EqualTo(array.Shape), key);
                Assert.That(back[key].Data, Is.EqualTo(array.Data), key);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void SameArraysGiveTheSameBytes()
    {
        var arrays = new Dictionary<string, NpyArray>
        {
            ["z"] = new(DType.Int32, [2], new[] { 1, 2 }),
            ["a"] = new(DType.UInt8, [1], new byte[] { 7 }),
        };
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        Npz.Write(first, arrays);
        Npz.Write(second, new Dictionary<string, NpyArray> { ["a"] = arrays["a"], ["z"] = arrays["z"] });
        Assert.That(first.ToArray(), Is.EqualTo(second.ToArray()));
    }

    [Test]
    public void RejectsAFileThatIsNotAZip()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(NpyTests.Fixture("corrupt_not_zip.npz")));
        Assert.That(ex!.Message, Does.Contain("not a zip archive").And.Contain("corrupt_not_zip.npz"));
    }

    [Test]
    public void NamesTheCorruptEntry()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(NpyTests.Fixture("corrupt_entry.npz")));
        Assert.That(ex!.Message, Does.Contain("entry 'bad.npy'").And.Contain("data is 19 bytes"));
    }

    [Test]
    public void WriteRejectsBadArraysNamingThem()
    {
        var arrays = new Dictionary<string, NpyArray> { ["obs"] = new(DType.Float32, [4], new float[3]) };
        using var stream = new MemoryStream();
        var ex = Assert.Throws<ArgumentException>(() => Npz.Write(stream, arrays));
        Assert.That(ex!.Message, Does.Contain("'obs'").And.Contain("needs 4 elements, data has 3"));
        ex = Assert.Throws<ArgumentException>(() => Npz.Write(stream, new Dictionary<string, NpyArray> { [""] = new(DType.UInt8, [0], Array.Empty<byte>()) }));
        Assert.That(ex!.Message, Does.Contain("non-empty"));
    }
}
