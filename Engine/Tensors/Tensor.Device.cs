using RlPlat.Engine.Backends.Gpu;

namespace RlPlat.Engine;

// Devices: where a tensor lives, moving it, and allocating results next to their inputs.
public sealed partial class Tensor
{
    /// <summary>The device the elements live on.</summary>
    public Device Device => storage.Device;

    /// <summary>True when the elements live in GPU memory (CUDA or ILGPU's CPU accelerator).</summary>
    public bool IsOnGpu => storage.gpu != null;

    /// <summary>This tensor on <paramref name="device"/>: itself when already there, else a copy (differentiable).</summary>
    public Tensor To(Device device)
    {
        var from = Device;
        if (device == from) return this;
        Tensor r;
        using (Autograd.NoGrad())
        {
            if (device.IsCpu) r = GpuTensors.Download(this);
            else if (from.IsCpu) r = GpuTensors.Upload(this, GpuRuntime.Get(device));
            else r = GpuTensors.Upload(GpuTensors.Download(this), GpuRuntime.Get(device));
        }
        if (Autograd.Needs(this)) Autograd.Attach(r, "To", [this], g => [g.To(from)]);
        return r;
    }

    /// <summary>Shorthand for <c>To(Device.Cuda(index))</c>.</summary>
    public Tensor Cuda(int index = 0) => To(Device.Cuda(index));

    /// <summary>Shorthand for <c>To(Device.Cpu)</c>.</summary>
    public Tensor Cpu() => To(Device.Cpu);

    /// <summary>A zeroed (or, with <paramref name="zero"/> false, uninitialized) contiguous tensor on <paramref name="like"/>'s device.</summary>
    internal static Tensor EmptyLike(Tensor like, DType dtype, int[] shape, bool zero = true)
    {
        if (like.storage.gpu == null) return zero ? Empty(dtype, shape) : Uninitialized(dtype, shape);
        return GpuTensors.Empty(like.storage.gpu.Owner, dtype, shape, zero);
    }

    /// <summary>Throws when <paramref name="a"/> and <paramref name="b"/> live on different devices.</summary>
    internal static void CheckSameDevice(string op, Tensor a, Tensor b)
    {
        var da = a.Device;
        var db = b.Device;
        if (da != db)
            throw new InvalidOperationException($"{op}: tensors are on different devices ({da} and {db}); move them to one device with .To(device) first");
    }
}
