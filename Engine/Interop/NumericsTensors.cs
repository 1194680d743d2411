using System.Runtime.CompilerServices;
using NumericsTensor = System.Numerics.Tensors.Tensor;

namespace RlPlat.Engine.Interop;

/// <summary>
/// Conversions between <see cref="Tensor"/> and <c>System.Numerics.Tensors.Tensor&lt;T&gt;</c> that share memory: both
/// wrap a managed array with lengths, strides and a start offset, so each side can view the other's array.
/// </summary>
public static class NumericsTensors
{
    /// <summary>
    /// A <c>System.Numerics.Tensors.Tensor&lt;T&gt;</c> over this tensor's storage (no copy: writes are seen by both).
    /// <typeparamref name="T"/> must match the dtype. A 0-d tensor becomes a 1-element, 1-D one (the package has no 0-d tensors).
    /// </summary>
    public static System.Numerics.Tensors.Tensor<T> ToNumericsTensor<T>(this Tensor tensor) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Storage.Data is not T[] array)
            throw new ArgumentException($"ToNumericsTensor: tensor has dtype {tensor.DType.Name()}, not {typeof(T).Name}; convert with To() first");
        var shape = tensor.ShapeSpan;
        int rank = Math.Max(shape.Length, 1);
        Span<nint> lengths = stackalloc nint[rank];
        Span<nint> strides = stackalloc nint[rank];
        if (shape.Length == 0) { lengths[0] = 1; strides[0] = 0; }
        for (int i = 0; i < shape.Length; i++)
        {
            lengths[i] = shape[i];
            // The package rejects a stride on a size-1 dim that it thinks could step past the array; such a dim is never
            // stepped, so stride 0 is the same layout.
            strides[i] = shape[i] <= 1 ? 0 : tensor.strides[i];
        }
        return NumericsTensor.Create(array, tensor.Offset, lengths, strides);
    }

    /// <summary>
    /// A <see cref="Tensor"/> over the array behind <paramref name="source"/> (no copy), with its lengths and strides.
    /// Falls back to a copy only if the package's layout cannot be read (a future version that renames its fields).
    /// </summary>
    public static Tensor ToTensor<T>(this System.Numerics.Tensors.Tensor<T> source) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        var lengths = source.Lengths;
        var strides = source.Strides;
        var shape = new int[lengths.Length];
        var st = new int[lengths.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = checked((int)lengths[i]);
            st[i] = checked((int)strides[i]);
        }
        T[]? values = null;
        int start = 0;
        try
        {
            values = Fields<T>.Values(source);
            start = Fields<T>.Start(source);
        }
        catch (MissingFieldException) { }
        if (values == null)
        {
            var copy = new T[checked((int)source.FlattenedLength)];
            source.FlattenTo(copy);
            return Tensor.FromArray(copy, shape);
        }
        return new Tensor(new Storage(values, DTypes.Of<T>()), shape, st, start);
    }

    /// <summary>Reads the private backing fields of <c>Tensor&lt;T&gt;</c> (System.Numerics.Tensors 10.0.0: <c>_values</c>, <c>_start</c>).</summary>
    private static class Fields<T>
    {
        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_values")]
        internal static extern ref T[] Values(System.Numerics.Tensors.Tensor<T> tensor);

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_start")]
        internal static extern ref int Start(System.Numerics.Tensors.Tensor<T> tensor);
    }
}
