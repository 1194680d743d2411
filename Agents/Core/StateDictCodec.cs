using System.Runtime.InteropServices;
using MessagePack;
using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Agents;

/// <summary>Turns an engine <see cref="StateDict"/> (tensors of any dtype) into bytes and back, for agent checkpoints.</summary>
public static class StateDictCodec
{
    /// <summary>One serialized tensor.</summary>
    [MessagePackObject]
    public sealed class Entry
    {
        /// <summary>The state dict key.</summary>
        [Key(0)] public string Name { get; set; } = "";

        /// <summary>The dtype as its enum value.</summary>
        [Key(1)] public int DType { get; set; }

        /// <summary>The shape.</summary>
        [Key(2)] public int[] Shape { get; set; } = [];

        /// <summary>Raw little-endian element bytes.</summary>
        [Key(3)] public byte[] Data { get; set; } = [];
    }

    /// <summary>Serializes every entry of <paramref name="stateDict"/>.</summary>
    public static byte[] Encode(StateDict stateDict)
    {
        var entries = new List<Entry>(stateDict.Count);
        foreach (var (name, tensor) in stateDict)
        {
            var c = tensor.Detach().Contiguous();
            byte[] data = c.DType switch
            {
                DType.Float32 => MemoryMarshal.AsBytes(c.AsSpan<float>()).ToArray(),
                DType.Float64 => MemoryMarshal.AsBytes(c.AsSpan<double>()).ToArray(),
                DType.Int32 => MemoryMarshal.AsBytes(c.AsSpan<int>()).ToArray(),
                DType.Int64 => MemoryMarshal.AsBytes(c.AsSpan<long>()).ToArray(),
                DType.Bool => MemoryMarshal.AsBytes(c.AsSpan<bool>()).ToArray(),
                DType.UInt8 => c.AsSpan<byte>().ToArray(),
                _ => throw new ArgumentException($"StateDictCodec: '{name}' has unsupported dtype {c.DType}."),
            };
            entries.Add(new Entry { Name = name, DType = (int)c.DType, Shape = c.Shape, Data = data });
        }
        return MessagePackSerializer.Serialize(entries);
    }

    /// <summary>Reads what <see cref="Encode"/> wrote.</summary>
    public static StateDict Decode(byte[] bytes)
    {
        var sd = new StateDict();
        foreach (var e in MessagePackSerializer.Deserialize<List<Entry>>(bytes))
        {
            var dtype = (DType)e.DType;
            Tensor t = dtype switch
            {
                DType.Float32 => Tensor.FromArray(MemoryMarshal.Cast<byte, float>(e.Data).ToArray(), e.Shape),
                DType.Float64 => Tensor.FromArray(MemoryMarshal.Cast<byte, double>(e.Data).ToArray(), e.Shape),
                DType.Int32 => Tensor.FromArray(MemoryMarshal.Cast<byte, int>(e.Data).ToArray(), e.Shape),
                DType.Int64 => Tensor.FromArray(MemoryMarshal.Cast<byte, long>(e.Data).ToArray(), e.Shape),
                DType.Bool => Tensor.FromArray(MemoryMarshal.Cast<byte, bool>(e.Data).ToArray(), e.Shape),
                DType.UInt8 => Tensor.FromArray(e.Data, e.Shape),
                _ => throw new ArgumentException($"StateDictCodec: '{e.Name}' has unknown dtype code {e.DType}."),
            };
            sd[e.Name] = t;
        }
        return sd;
    }
}
