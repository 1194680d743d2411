using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace RlPlat.Engine.IO;

/// <summary>
/// Reads and writes NumPy .npy files on raw arrays. Reads format versions 1.0, 2.0 and 3.0, either byte order and C or
/// Fortran order (converted to little-endian C order); writes version 1.0 (2.0 when the header needs more than 64 KiB).
/// </summary>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a .npy file.</summary>
    public static NpyArray Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads one .npy array from <paramref name="stream"/>, which is left just past the array's data.</summary>
    public static NpyArray Read(Stream stream) => Read(stream, stream.CanSeek ? stream.Length - stream.Position : null);

    /// <summary>Reads one array; <paramref name="available"/> (bytes left in the source, when known) catches lying headers before allocating.</summary>
    internal static NpyArray Read(Stream stream, long? available)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[12];
        int got = stream.ReadAtLeast(prefix[..8], 8, throwOnEndOfStream: false);
        if (got < 8 || !prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException(got < 6
                ? $"npy: file is {got} bytes, too short for the 6-byte magic \\x93NUMPY"
                : $"npy: bad magic {Convert.ToHexString(prefix[..6])}, expected 934E554D5059 (\\x93NUMPY)");
        int major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
            throw new InvalidDataException($"npy: format version {major}.{minor} is not supported (1.0, 2.0, 3.0)");
        int lengthBytes = major == 1 ? 2 : 4;
        if (stream.ReadAtLeast(prefix.Slice(8, lengthBytes), lengthBytes, throwOnEndOfStream: false) < lengthBytes)
            throw new InvalidDataException("npy: file ends inside the header length");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
        long remaining = available is long a ? a - 8 - lengthBytes : long.MaxValue;
        if (headerLength > remaining)
            throw new InvalidDataException($"npy: header length {headerLength} runs past the end of the file ({remaining} bytes left)");
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) < headerBytes.Length)
            throw new InvalidDataException($"npy: header length {headerLength} runs past the end of the file");
        remaining -= headerLength;

        string headerText;
        try
        {
            headerText = NpyHeader.EncodingFor(major).GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"npy: version {major}.0 header is not valid text: {e.Message}");
        }

        var info = NpyHeader.Parse(headerText.TrimEnd('\n', ' ', '\0'));
        int size = info.DType.SizeOf();
        long count = 1;
        foreach (int d in info.Shape) count *= d;
        long dataBytes = count * size;
        if (dataBytes > remaining)
            throw new InvalidDataException($"npy: data is {remaining} bytes but shape {NpyArray.ShapeText(info.Shape)} of {info.DType.Name()} needs {dataBytes}");

        Array data = Array.CreateInstance(info.DType.ClrType(), count);
        Span<byte> bytes = info.DType == DType.Bool ? new byte[count] : RawBytes(data);
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length)
            throw new InvalidDataException($"npy: data is {read} bytes but shape {NpyArray.ShapeText(info.Shape)} of {info.DType.Name()} needs {dataBytes}");

        if (info.BigEndian != !BitConverter.IsLittleEndian) ReverseEach(bytes, size);
        if (info.DType == DType.Bool)
        {
            var flags = (bool[])data;
            for (int i = 0; i < flags.Length; i++) flags[i] = bytes[i] != 0;
        }

        if (info.FortranOrder && info.Shape.Length > 1) data = FortranToC(data, info.Shape, size);
        return new NpyArray(info.DType, info.Shape, data);
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> atomically (temp file, then rename).</summary>
    public static void Write(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        array.Validate();
        AtomicFile.Write(path, stream => Write(stream, array));
    }

    /// <summary>Writes <paramref name="array"/> as a .npy (version 1.0, or 2.0 for headers over 64 KiB, little-endian, C order).</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        array.Validate();
        string dict = NpyHeader.Format(array.DType, array.Shape);
        // NumPy pads the header with spaces and a newline so that the data starts on a 64-byte boundary; version 1.0
        // has a 2-byte header length, so a longer header (a very high-rank shape) needs version 2.0's 4-byte one.
        int major = 1;
        string header = Padded(dict, 10);
        if (header.Length > ushort.MaxValue)
        {
            major = 2;
            header = Padded(dict, 12);
        }

        var head = new byte[Magic.Length + 2 + (major == 1 ? 2 : 4) + header.Length];
        Magic.CopyTo(head, 0);
        head[6] = (byte)major;
        head[7] = 0;
        int at = 8;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(at), (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(at), (uint)header.Length);
        at += major == 1 ? 2 : 4;
        Encoding.Latin1.GetBytes(header, head.AsSpan(at));
        stream.Write(head);

        if (array.DType == DType.Bool)
        {
            var flags = (bool[])array.Data;
            var bytes = new byte[flags.Length];
            for (int i = 0; i < flags.Length; i++) bytes[i] = flags[i] ? (byte)1 : (byte)0;
            stream.Write(bytes);
        }
        else if (BitConverter.IsLittleEndian)
        {
            stream.Write(RawBytes(array.Data));
        }
        else
        {
            byte[] bytes = RawBytes(array.Data).ToArray();
            ReverseEach(bytes, array.DType.SizeOf());
            stream.Write(bytes);
        }
    }

    private static string Padded(string dict, int prefixLength)
    {
        int pad = (64 - (prefixLength + dict.Length + 1) % 64) % 64;
        return dict + new string(' ', pad) + "\n";
    }

    /// <summary>The bytes of a 1-D primitive array.</summary>
    private static Span<byte> RawBytes(Array data) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(data), checked((int)Buffer.ByteLength(data)));

    private static void ReverseEach(Span<byte> bytes, int size)
    {
        if (size == 1) return;
        for (int i = 0; i < bytes.Length; i += size) bytes.Slice(i, size).Reverse();
    }

    /// <summary>Reorders data stored in Fortran (column-major) order into C (row-major) order.</summary>
    private static Array FortranToC(Array source, int[] shape, int size)
    {
        Array result = Array.CreateInstance(source.GetType().GetElementType()!, source.LongLength);
        if (source.LongLength == 0) return result;
        Span<byte> src = RawBytes(source), dst = RawBytes(result);
        int rank = shape.Length;
        // Fortran strides (in elements): the first index varies fastest.
        var stride = new long[rank];
        stride[0] = 1;
        for (int d = 1; d < rank; d++) stride[d] = stride[d - 1] * shape[d - 1];
        var index = new int[rank];
        long from = 0;
        for (long to = 0; to < source.LongLength; to++)
        {
            src.Slice((int)(from * size), size).CopyTo(dst.Slice((int)(to * size), size));
            // Advance the C-order index (last dimension fastest), keeping the Fortran offset in step.
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                {
                    from += stride[d];
                    break;
                }

                from -= stride[d] * (shape[d] - 1);
                index[d] = 0;
            }
        }

        return result;
    }
}
