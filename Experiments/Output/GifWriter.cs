using RlPlat.Environments;

namespace RlPlat.Experiments.Output;

/// <summary>
/// Encodes RGB frames as an animated GIF (GIF89a, looping) for <c>rlplat eval --render</c>. Colors map to a fixed
/// 6x7x6 palette (green gets the extra level, as the eye is most sensitive to it): env frames are flat-colored
/// drawings, for which a fixed palette is exact enough and keeps encoding one pass per frame.
/// </summary>
public static class GifWriter
{
    private const int ClearCode = 256, EndCode = 257, MaxCodes = 4096;

    /// <summary>Writes <paramref name="frames"/> (all the same size) to <paramref name="path"/> atomically, <paramref name="delayMs"/> per frame.</summary>
    public static void Write(string path, IReadOnlyList<RenderFrame> frames, int delayMs = 40)
    {
        if (frames.Count == 0) throw new ArgumentException("a GIF needs at least one frame, got 0", nameof(frames));
        int w = frames[0].Width, h = frames[0].Height;
        if (w is < 1 or > 65535 || h is < 1 or > 65535) throw new ArgumentException($"GIF frame size {w}x{h} is outside 1..65535", nameof(frames));
        for (int i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            if (f.Width != w || f.Height != h) throw new ArgumentException($"frame {i} is {f.Width}x{f.Height}, frame 0 is {w}x{h}", nameof(frames));
            if (f.Pixels.Length != w * h * 3) throw new ArgumentException($"frame {i} has {f.Pixels.Length} bytes, {w}x{h} RGB needs {w * h * 3}", nameof(frames));
        }
        AtomicFile.Write(path, stream => Encode(stream, frames, w, h, Math.Max(1, delayMs / 10)));
    }

    /// <summary>The palette index of an RGB color.</summary>
    public static int PaletteIndex(byte r, byte g, byte b) => (r * 5 + 127) / 255 * 42 + (g * 6 + 127) / 255 * 6 + (b * 5 + 127) / 255;

    /// <summary>The RGB color of a palette index (256 entries; the last 4 are unused black).</summary>
    public static (byte R, byte G, byte B) PaletteColor(int index)
        => index >= 252 ? ((byte)0, (byte)0, (byte)0) : ((byte)(index / 42 * 255 / 5), (byte)(index / 6 % 7 * 255 / 6), (byte)(index % 6 * 255 / 5));

    private static void Encode(Stream s, IReadOnlyList<RenderFrame> frames, int w, int h, int delayCs)
    {
        var bw = new BinaryWriter(s);
        bw.Write("GIF89a"u8);
        bw.Write((ushort)w);
        bw.Write((ushort)h);
        bw.Write((byte)0xF7);   // global color table, 8 bits per channel resolution, 256 entries
        bw.Write((byte)0);      // background color index
        bw.Write((byte)0);      // square pixels
        for (int i = 0; i < 256; i++)
        {
            var (r, g, b) = PaletteColor(i);
            bw.Write(r); bw.Write(g); bw.Write(b);
        }
        // NETSCAPE2.0 application extension: loop forever.
        bw.Write([0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 0x03, 0x01, 0x00, 0x00, 0x00]);
        var indices = new byte[w * h];
        foreach (var frame in frames)
        {
            bw.Write([0x21, 0xF9, 0x04, 0x00]);   // graphic control extension, no transparency
            bw.Write((ushort)delayCs);
            bw.Write([0x00, 0x00]);
            bw.Write((byte)0x2C);                 // image descriptor: full frame, no local palette
            bw.Write((ushort)0); bw.Write((ushort)0);
            bw.Write((ushort)w); bw.Write((ushort)h);
            bw.Write((byte)0);
            var p = frame.Pixels;
            for (int i = 0; i < indices.Length; i++) indices[i] = (byte)PaletteIndex(p[3 * i], p[3 * i + 1], p[3 * i + 2]);
            bw.Write((byte)8);                    // LZW minimum code size
            WriteLzw(bw, indices);
        }
        bw.Write((byte)0x3B);
        bw.Flush();
    }

    /// <summary>GIF's variable-width LZW, codes packed LSB first into sub-blocks of at most 255 bytes.</summary>
    private static void WriteLzw(BinaryWriter bw, byte[] data)
    {
        var blocks = new BlockWriter(bw);
        var table = new Dictionary<int, int>();
        int width = 9, next = EndCode + 1;
        blocks.Code(ClearCode, width);
        int prefix = data[0];
        for (int i = 1; i < data.Length; i++)
        {
            int key = (prefix << 8) | data[i];
            if (table.TryGetValue(key, out int code)) { prefix = code; continue; }
            blocks.Code(prefix, width);
            if (next < MaxCodes)
            {
                // The decoder widens codes one entry later than the encoder adds it, hence "> 1 << width" after adding.
                table[key] = next++;
                if (next > 1 << width && width < 12) width++;
            }
            else
            {
                blocks.Code(ClearCode, width);
                table.Clear();
                next = EndCode + 1;
                width = 9;
            }
            prefix = data[i];
        }
        blocks.Code(prefix, width);
        blocks.Code(EndCode, width);
        blocks.Finish();
    }

    private sealed class BlockWriter(BinaryWriter bw)
    {
        private readonly byte[] block = new byte[255];
        private int count, bitBuffer, bits;

        public void Code(int code, int width)
        {
            bitBuffer |= code << bits;
            bits += width;
            while (bits >= 8)
            {
                Byte((byte)bitBuffer);
                bitBuffer >>= 8;
                bits -= 8;
            }
        }

        public void Finish()
        {
            if (bits > 0) Byte((byte)bitBuffer);
            if (count > 0) { bw.Write((byte)count); bw.Write(block, 0, count); }
            bw.Write((byte)0);   // block terminator
        }

        private void Byte(byte b)
        {
            block[count++] = b;
            if (count == 255) { bw.Write((byte)255); bw.Write(block); count = 0; }
        }
    }
}
