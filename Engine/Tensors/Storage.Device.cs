using System.Diagnostics;
using ILGPU.Runtime;
using System.Reflection;
using RlPlat.Engine.Backends.Gpu;
using RlPlat.Engine.Backends.Gpu.Memory;

namespace RlPlat.Engine;

// Device-resident storage: instead of a managed array, a block of GPU memory from the caching allocator.
public sealed partial class Storage
{
    /// <summary>The device buffer of GPU storage (null on the CPU: the one field the CPU path compares, and the only one added).</summary>
    internal readonly DeviceMemory? gpu;

    internal Storage(DeviceMemory memory, DType dtype)
    {
        gpu = memory;
        DType = dtype;
    }

    /// <summary>Elements of device storage.</summary>
    private int DeviceLength => (int)(gpu!.Bytes / DType.SizeOf());

    /// <summary>Where the elements live.</summary>
    public Device Device => gpu == null ? Device.Cpu : gpu.Owner.Device;

    /// <summary>New device storage of <paramref name="length"/> elements on <paramref name="device"/> (zeroed when asked).</summary>
    internal static Storage AllocateOn(GpuDevice device, DType dtype, int length, bool zero)
    {
        long bytes = (long)length * dtype.SizeOf();
        var memory = new DeviceMemory(device, device.Allocator.Rent(Math.Max(1L, bytes)), bytes);
        if (zero && length > 0)
        {
            device.Bind();
            memory.View<byte>().MemSetToZero(device.Stream);
        }
        return new Storage(memory, dtype);
    }

    // Accessors through which an unported op reaches the host data; the op is the first public caller above them.
    private static readonly HashSet<string> Accessors = ["get_Data", "AsSpan", "AsMemory", "Span", "StorageSpan", "ArrayOf", "Ref", "GetAsDouble", "CopyElement", "AddElement"];

    private NotSupportedException HostAccessError()
    {
        string op = "this op", entry = "";
        var asm = typeof(Storage).Assembly;
        foreach (var frame in new StackTrace().GetFrames())
        {
            var m = frame.GetMethod();
            if (m?.DeclaringType is not { } t) continue;
            if (t.Assembly != asm) break;
            if (!m.IsPublic || !t.IsPublic || Accessors.Contains(m.Name)) continue;
            string name = m.Name.StartsWith("get_", StringComparison.Ordinal) ? m.Name[4..] : m.Name;
            if (op == "this op") op = $"{t.Name}.{name}";
            else entry = $"{t.Name}.{name}";
        }
        string via = entry.Length > 0 && entry != op ? $" (reached from {entry})" : "";
        return new NotSupportedException(
            $"{op}{via} is not supported on {Device}: the GPU backend does not port it (README, 'Engine: GPU backend', lists the ported ops). " +
            "Move the tensors to the CPU first with .To(Device.Cpu).");
    }
}
