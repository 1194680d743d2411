using System.Runtime.InteropServices;
using ILGPU;
using RlPlat.Engine.Backends.Gpu.Kernels;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>Device tensors: allocation, views of their storage, and host transfers.</summary>
internal static class GpuTensors
{
    /// <summary>A contiguous tensor on <paramref name="device"/> (zeroed when <paramref name="zero"/>).</summary>
    internal static Tensor Empty(GpuDevice device, DType dtype, int[] shape, bool zero)
    {
        int n = Engine.Shape.Numel(shape);
        return new Tensor(Storage.AllocateOn(device, dtype, n, zero), shape, Engine.Shape.ContiguousStrides(shape), 0);
    }

    /// <summary>The backend of a device tensor.</summary>
    internal static GpuDevice DeviceOf(Tensor t) => t.storage.gpu?.Owner ?? throw new InvalidOperationException("not a device tensor");

    /// <summary>The whole storage of <paramref name="t"/> as device elements of type <typeparamref name="T"/> (index with t.Offset).</summary>
    internal static ArrayView<T> View<T>(Tensor t) where T : unmanaged => t.storage.gpu!.View<T>();

    /// <summary>The elements of a contiguous device tensor (offset applied).</summary>
    internal static ArrayView<T> Elements<T>(Tensor t) where T : unmanaged => t.storage.gpu!.View<T>().SubView(t.offset, t.Numel);

    /// <summary>A device copy of host tensor <paramref name="t"/>.</summary>
    internal static Tensor Upload(Tensor t, GpuDevice device)
    {
        var c = t.Contiguous();
        var r = Empty(device, t.DType, (int[])t.shape.Clone(), zero: false);
        if (r.Numel == 0) return r;
        var tr = device.Transfers;
        switch (t.DType)
        {
            case DType.Float32: tr.Upload<float>(c.AsSpan<float>(), Elements<float>(r)); break;
            case DType.Float64: tr.Upload<double>(c.AsSpan<double>(), Elements<double>(r)); break;
            case DType.Int32: tr.Upload<int>(c.AsSpan<int>(), Elements<int>(r)); break;
            case DType.Int64: tr.Upload<long>(c.AsSpan<long>(), Elements<long>(r)); break;
            case DType.Bool: tr.Upload<byte>(MemoryMarshal.Cast<bool, byte>(c.AsSpan<bool>()), Elements<byte>(r)); break;
            case DType.UInt8: tr.Upload<byte>(c.AsSpan<byte>(), Elements<byte>(r)); break;
        }
        return r;
    }

    /// <summary>A host copy of device tensor <paramref name="t"/> (one synchronization).</summary>
    internal static Tensor Download(Tensor t)
    {
        var c = t.Contiguous();
        var r = Tensor.Uninitialized(t.DType, (int[])t.shape.Clone());
        if (r.Numel == 0) return r;
        var tr = DeviceOf(c).Transfers;
        switch (t.DType)
        {
            case DType.Float32: tr.Download(Elements<float>(c), r.AsSpan<float>()); break;
            case DType.Float64: tr.Download(Elements<double>(c), r.AsSpan<double>()); break;
            case DType.Int32: tr.Download(Elements<int>(c), r.AsSpan<int>()); break;
            case DType.Int64: tr.Download(Elements<long>(c), r.AsSpan<long>()); break;
            case DType.Bool: tr.Download(Elements<byte>(c), MemoryMarshal.Cast<bool, byte>(r.AsSpan<bool>())); break;
            case DType.UInt8: tr.Download(Elements<byte>(c), r.AsSpan<byte>()); break;
        }
        return r;
    }

    /// <summary>A one-element device tensor holding <paramref name="value"/> (CPU scalars meeting device tensors).</summary>
    internal static Tensor Scalar(GpuDevice device, DType dtype, double value)
    {
        var r = Empty(device, dtype, [], zero: false);
        GpuElementwise.Fill(r, value);
        return r;
    }

    /// <summary>
    /// <paramref name="t"/> on <paramref name="device"/>: a one-element CPU tensor is promoted (PyTorch lets CPU scalars
    /// meet device tensors); anything else on another device is an error naming both devices.
    /// </summary>
    internal static Tensor On(GpuDevice device, Tensor t, string op)
    {
        var g = t.storage.gpu;
        if (g != null && ReferenceEquals(g.Owner, device)) return t;
        if (g == null && t.Numel == 1) return Scalar(device, t.DType, t.GetAsDouble(t.offset)).Reshape(t.shape);
        throw new InvalidOperationException($"{op}: tensors are on different devices ({device.Device} and {t.Device}); move them to one device with .To(device) first");
    }
}
