using RlPlat.Environments;
using RlPlat.Experiments.Output;

namespace RlPlat.Experiments.Tests.Output;

public class GifWriterTests
{
    [Test]
    public void PaletteMapsPrimaryColorsExactly()
    {
        foreach (var (r, g, b) in new (byte, byte, byte)[] { (0, 0, 0), (255, 255, 255), (255, 0, 0), (0, 255, 0), (0, 0, 255) })
            Assert.That(GifWriter.PaletteColor(GifWriter.PaletteIndex(r, g, b)), Is.EqualTo((r, g, b)));
        Assert.That(GifWriter.PaletteIndex(255, 255, 255), Is.EqualTo(251));
    }

    [Test]
    public void FramesDecodeBackToTheirPaletteIndices()
    {
        // A gradient frame with enough distinct runs to grow LZW codes past 9 bits, and a second, flat frame.
        int w = 97, h = 61;
        var a = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) { a[3 * i] = (byte)(i * 7); a[3 * i + 1] = (byte)(i / w * 4); a[3 * i + 2] = (byte)(i % w * 2); }
        var b = Enumerable.Repeat((byte)200, w * h * 3).ToArray();
        var path = Path.Combine(Path.GetTempPath(), $"rlplat-gif-{Guid.NewGuid():N}.gif");
        try
        {
            GifWriter.Write(path, [new RenderFrame(h, w, a), new RenderFrame(h, w, b)], delayMs: 50);
            var bytes = File.ReadAllBytes(path);
            Assert.That(bytes.Take(6), Is.EqualTo("GIF89a"u8.ToArray()));
            Assert.That(BitConverter.ToUInt16(bytes, 6), Is.EqualTo(w));
            Assert.That(BitConverter.ToUInt16(bytes, 8), Is.EqualTo(h));
            Assert.That(bytes[^1], Is.EqualTo(0x3B));
            var frames = Decode(bytes);
            Assert.That(frames, Has.Count.EqualTo(2));
            for (int i = 0; i < w * h; i++)
                Assert.That(frames[0][i], Is.EqualTo(GifWriter.PaletteIndex(a[3 * i], a[3 * i + 1], a[3 * i + 2])), $"pixel {i}");
            Assert.That(frames[1].Distinct(), Is.EqualTo(new[] { (byte)GifWriter.PaletteIndex(200, 200, 200) }));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void BadFramesAreRejectedWithTheirSizes()
    {
        Assert.That(() => GifWriter.Write("x.gif", []), Throws.ArgumentException.With.Message.Contains("got 0"));
        Assert.That(() => GifWriter.Write("x.gif", [new RenderFrame(2, 2, new byte[12]), new RenderFrame(3, 2, new byte[18])]),
            Throws.ArgumentException.With.Message.EqualTo("frame 1 is 2x3, frame 0 is 2x2 (Parameter 'frames')"));
        Assert.That(() => GifWriter.Write("x.gif", [new RenderFrame(2, 2, new byte[11])]), Throws.ArgumentException.With.Message.Contains("has 11 bytes, 2x2 RGB needs 12"));
    }

    /// <summary>A plain GIF decoder (global palette, full frames) written from the GIF89a spec, independent of the encoder.</summary>
    private static List<byte[]> Decode(byte[] gif)
    {
        int w = BitConverter.ToUInt16(gif, 6), h = BitConverter.ToUInt16(gif, 8);
        int pos = 13 + 3 * (1 << ((gif[10] & 7) + 1));
        var frames = new List<byte[]>();
        while (gif[pos] != 0x3B)
        {
            if (gif[pos] == 0x21) { pos += 2; while (gif[pos] != 0) pos += gif[pos] + 1; pos++; continue; }
            Assert.That(gif[pos], Is.EqualTo(0x2C));
            pos += 10;
            int minCode = gif[pos++];
            var data = new List<byte>();
            while (gif[pos] != 0) { data.AddRange(gif.AsSpan(pos + 1, gif[pos]).ToArray()); pos += gif[pos] + 1; }
            pos++;
            frames.Add(Lzw(data.ToArray(), minCode, w * h));
        }
        return frames;
    }

    private static byte[] Lzw(byte[] data, int minCode, int count)
    {
        int clear = 1 << minCode, end = clear + 1;
        var dict = new List<byte[]>();
        void Reset() { dict.Clear(); for (int i = 0; i < clear; i++) dict.Add([(byte)i]); dict.Add([]); dict.Add([]); }
        Reset();
        var output = new List<byte>();
        int width = minCode + 1, bitPos = 0;
        byte[]? previous = null;
        while (true)
        {
            int code = 0;
            for (int i = 0; i < width; i++, bitPos++) code |= ((data[bitPos >> 3] >> (bitPos & 7)) & 1) << i;
            if (code == clear) { Reset(); width = minCode + 1; previous = null; continue; }
            if (code == end) break;
            byte[] entry = code < dict.Count ? dict[code] : [.. previous!, previous![0]];
            output.AddRange(entry);
            if (previous is not null && dict.Count < 4096) dict.Add([.. previous, entry[0]]);
            previous = entry;
            if (dict.Count == 1 << width && width < 12) width++;
        }
        Assert.That(output, Has.Count.EqualTo(count));
        return [.. output];
    }
}
