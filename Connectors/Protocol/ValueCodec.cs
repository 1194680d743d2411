using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MessagePack;

namespace RlPlat.Connectors.Protocol;

/// <summary>
/// MessagePack form of observations, actions and info values, shared by the wire protocol and the recording log.
/// Numeric arrays are tensors: a map {"dtype": name, "shape": [dims], "data": raw little-endian bytes} (dm_env_rpc's
/// Tensor, flattened); scalars are MessagePack numbers; dictionaries are maps with string keys; tuples and object
/// arrays are MessagePack arrays. Reading applies <see cref="MessagePackSecurity.UntrustedData"/>'s depth limit and
/// collision-resistant key hashing, and checks every length against the bytes actually present.
/// </summary>
public static class ValueCodec
{
    private static readonly MessagePackSecurity Security = MessagePackSecurity.UntrustedData;

    static ValueCodec()
    {
        // Tensor bytes are the arrays' own memory: the wire is little-endian, so a big-endian host would need swaps.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("RlPlat.Connectors: the wire format is little-endian; this host is big-endian.");
    }

    /// <summary>Writes a value. <paramref name="shape"/> gives a tensor's shape (its length must match); default [length].</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="value">The value: null, bool, number, string, numeric array, dictionary, object array or tuple.</param>
    /// <param name="shape">Shape of a top-level tensor.</param>
    /// <param name="lenient">Write unsupported types as their ToString() (for info dictionaries) instead of throwing.</param>
    public static void Write(ref MessagePackWriter writer, object? value, int[]? shape = null, bool lenient = false)
    {
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case bool b: writer.Write(b); break;
            case int i: writer.Write(i); break;
            case long l: writer.Write(l); break;
            case short s: writer.Write(s); break;
            case byte u8: writer.Write(u8); break;
            case sbyte i8: writer.Write(i8); break;
            case uint u32: writer.Write(u32); break;
            case float f: writer.Write(f); break;
            case double d: writer.Write(d); break;
            case string str: writer.Write(str); break;
            case Array array when WireDTypes.Of(array) is { } dtype: WriteTensor(ref writer, array, dtype, shape); break;
            case IEnumerable<KeyValuePair<string, object?>> dict: WriteMap(ref writer, dict, lenient); break;
            case object?[] items:
                writer.WriteArrayHeader(items.Length);
                foreach (var item in items) Write(ref writer, item, null, lenient);
                break;
            case ITuple tuple:
                writer.WriteArrayHeader(tuple.Length);
                for (int k = 0; k < tuple.Length; k++) Write(ref writer, tuple[k], null, lenient);
                break;
            case Enum e: writer.Write(e.ToString()); break;
            default:
                if (!lenient) throw new ArgumentException($"ValueCodec: values of type {value.GetType()} have no wire form (use numbers, numeric arrays, strings, dictionaries or object arrays).", nameof(value));
                writer.Write(value.ToString());
                break;
        }
    }

    private static void WriteMap(ref MessagePackWriter writer, IEnumerable<KeyValuePair<string, object?>> dict, bool lenient)
    {
        int count = 0;
        foreach (var _ in dict) count++;
        writer.WriteMapHeader(count);
        foreach (var (key, item) in dict)
        {
            writer.Write(key);
            Write(ref writer, item, null, lenient);
        }
    }

    /// <summary>Writes a numeric array as a tensor map.</summary>
    public static void WriteTensor(ref MessagePackWriter writer, Array array, WireDType dtype, int[]? shape)
    {
        int length = array.Length;
        if (shape is not null && ShapeSize(shape) != length)
            throw new ArgumentException($"ValueCodec: a {WireDTypes.Name(dtype)} array of {length} values does not fit shape [{string.Join(",", shape)}].", nameof(shape));
        writer.WriteMapHeader(3);
        writer.Write("dtype");
        writer.Write(WireDTypes.Name(dtype));
        writer.Write("shape");
        if (shape is null) { writer.WriteArrayHeader(1); writer.Write(length); }
        else { writer.WriteArrayHeader(shape.Length); foreach (int d in shape) writer.Write(d); }
        writer.Write("data");
        writer.Write(RawBytes(array));
    }

    private static ReadOnlySpan<byte> RawBytes(Array array) =>
        MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(array), checked(array.Length * WireDTypes.Size(WireDTypes.Of(array)!.Value)));

    /// <summary>The number of elements of a shape; a negative or oversized shape is a protocol error.</summary>
    public static int ShapeSize(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ProtocolException(ErrorCode.InvalidArgument, $"shape [{string.Join(",", shape.ToArray())}] has a negative dimension");
            n *= d;
            if (n > int.MaxValue) throw new ProtocolException(ErrorCode.InvalidArgument, $"shape [{string.Join(",", shape.ToArray())}] has more than {int.MaxValue} elements");
        }
        return (int)n;
    }

    /// <summary>Reads one value; tensors become flat .NET arrays (0-dimensional ones, boxed scalars).</summary>
    public static object? Read(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil: reader.ReadNil(); return null;
            case MessagePackType.Boolean: return reader.ReadBoolean();
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    ulong u = reader.ReadUInt64();
                    if (u > long.MaxValue) throw new ProtocolException(ErrorCode.InvalidArgument, $"integer {u} is out of the int64 range");
                    return (long)u;
                }
                return reader.ReadInt64();
            case MessagePackType.Float: return reader.ReadDouble();
            case MessagePackType.String: return reader.ReadString();
            case MessagePackType.Binary: return reader.ReadBytes()!.Value.ToArray();
            case MessagePackType.Array:
            {
                int n = reader.ReadArrayHeader();
                Security.DepthStep(ref reader);
                var items = new object?[n];
                for (int i = 0; i < n; i++) items[i] = Read(ref reader);
                reader.Depth--;
                return items;
            }
            case MessagePackType.Map:
            {
                var map = ReadMap(ref reader);
                return IsTensor(map) ? TensorFromMap(map) : map;
            }
            default:
                throw new ProtocolException(ErrorCode.InvalidArgument, $"unsupported MessagePack type {reader.NextMessagePackType} (code 0x{reader.NextCode:x2})");
        }
    }

    /// <summary>Reads a map whose keys are strings (anything else is a protocol error).</summary>
    public static Dictionary<string, object?> ReadMap(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
            throw new ProtocolException(ErrorCode.InvalidArgument, $"expected a map, found {reader.NextMessagePackType}");
        int n = reader.ReadMapHeader();
        Security.DepthStep(ref reader);
        var map = new Dictionary<string, object?>(n, Security.GetEqualityComparer<string>());
        for (int i = 0; i < n; i++)
        {
            if (reader.NextMessagePackType != MessagePackType.String)
                throw new ProtocolException(ErrorCode.InvalidArgument, $"map keys must be strings, found {reader.NextMessagePackType}");
            string key = reader.ReadString()!;
            map[key] = Read(ref reader);
        }
        reader.Depth--;
        return map;
    }

    private static bool IsTensor(Dictionary<string, object?> map) =>
        map.Count == 3 && map.ContainsKey("dtype") && map.ContainsKey("shape") && map.ContainsKey("data");

    private static object TensorFromMap(Dictionary<string, object?> map)
    {
        if (map["dtype"] is not string name) throw new ProtocolException(ErrorCode.InvalidArgument, "tensor dtype must be a string");
        if (map["shape"] is not object?[] dims) throw new ProtocolException(ErrorCode.InvalidArgument, "tensor shape must be an array of integers");
        if (map["data"] is not byte[] data) throw new ProtocolException(ErrorCode.InvalidArgument, "tensor data must be binary");
        var dtype = WireDTypes.Parse(name);
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] is not long d || d < 0 || d > int.MaxValue)
                throw new ProtocolException(ErrorCode.InvalidArgument, $"tensor shape entry {i} is {dims[i] ?? "nil"}, not a non-negative integer");
            shape[i] = (int)d;
        }
        int count = ShapeSize(shape);
        int size = WireDTypes.Size(dtype);
        if ((long)count * size != data.Length)
            throw new ProtocolException(ErrorCode.InvalidArgument, $"tensor of shape [{string.Join(",", shape)}] and dtype {name} needs {(long)count * size} bytes, got {data.Length}");
        var array = FromBytes(data, dtype, count);
        return shape.Length == 0 ? array.GetValue(0)! : array;
    }

    private static Array FromBytes(byte[] data, WireDType dtype, int count)
    {
        switch (dtype)
        {
            case WireDType.UInt8: return data;
            case WireDType.Bool:
            {
                var b = new bool[count];
                for (int i = 0; i < count; i++) b[i] = data[i] != 0; // normalise: a raw cast would let byte 2 become a "true" that != true
                return b;
            }
            default:
            {
                var array = Array.CreateInstance(WireDTypes.ElementType(dtype), count);
                data.CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), data.Length));
                return array;
            }
        }
    }

    /// <summary>Serialises a value on its own (one MessagePack object).</summary>
    public static byte[] Serialize(object? value, bool lenient = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, value, null, lenient);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one value from <paramref name="bytes"/>, which must hold exactly one MessagePack object.</summary>
    public static object? Deserialize(ReadOnlyMemory<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        var value = Guard(ref reader, static (ref MessagePackReader r) => Read(ref r));
        if (!reader.End) throw new ProtocolException(ErrorCode.InvalidArgument, $"{bytes.Length - reader.Consumed} bytes left over after the value");
        return value;
    }

    /// <summary>A read step that may throw the MessagePack library's exceptions.</summary>
    public delegate T ReadStep<T>(ref MessagePackReader reader);

    /// <summary>Runs a read step, turning every MessagePack/format failure into a <see cref="ProtocolException"/>.</summary>
    public static T Guard<T>(ref MessagePackReader reader, ReadStep<T> step)
    {
        try { return step(ref reader); }
        catch (ProtocolException) { throw; }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or InsufficientExecutionStackException or OverflowException or InvalidOperationException or ArgumentException)
        {
            throw new ProtocolException(ErrorCode.InvalidArgument, "malformed MessagePack: " + e.Message, e);
        }
    }
}
