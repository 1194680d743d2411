using RlPlat.Engine.Kernels;

namespace RlPlat.Engine;

// PyTorch's `out=`: the common elementwise ops written into a tensor the caller owns. A loop that reuses one result
// tensor writes to memory that is still in the cache and allocates nothing, where `a + b` gets a recycled array that
// the GC found dead, usually long evicted.
public sealed partial class Tensor
{
    /// <summary>a + b (broadcast) written into <paramref name="into"/>, which must have the result's shape and dtype; returns it.</summary>
    public Tensor Add(Tensor other, Tensor into) => BinaryInto<AddOp>(this, other, into, "Add");

    /// <summary>a - b (broadcast) written into <paramref name="into"/>; returns it.</summary>
    public Tensor Sub(Tensor other, Tensor into) => BinaryInto<SubOp>(this, other, into, "Sub");

    /// <summary>a · b (broadcast) written into <paramref name="into"/>; returns it.</summary>
    public Tensor Mul(Tensor other, Tensor into) => BinaryInto<MulOp>(this, other, into, "Mul");

    /// <summary>a / b (broadcast, true division) written into the float tensor <paramref name="into"/>; returns it.</summary>
    public Tensor Div(Tensor other, Tensor into) =>
        DType.IsFloat() || other.DType.IsFloat() ? BinaryInto<DivOp>(this, other, into, "Div") : BinaryInto<DivOp>(Float(), other.Float(), into, "Div");

    /// <summary>e^x written into <paramref name="into"/> (same shape, float dtype); returns it.</summary>
    public Tensor Exp(Tensor into)
    {
        var x = AsFloat();
        CheckInto(into, x.shape, x.DType, "Exp", x, x);
        Elementwise.FloatUnary<ExpOp>(x, into);
        into.storage.Version++;
        return into;
    }

    private static Tensor BinaryInto<TOp>(Tensor self, Tensor other, Tensor into, string name) where TOp : INumericBinaryOp
    {
        var (a, b, shape) = Promoted(self, other);
        CheckInto(into, shape, a.DType, name, a, b);
        Elementwise.NumericBinary<TOp>(a, b, shape, into);
        into.storage.Version++;
        return into;
    }

    private static void CheckInto(Tensor into, int[] shape, DType dtype, string name, Tensor a, Tensor b)
    {
        if (Autograd.Needs(a, b))
            throw new InvalidOperationException($"{name}: a result written into an existing tensor is not recorded for autograd, and an input requires grad; use the out-of-place {name}");
        into.CheckInPlace(name);
        if (!into.shape.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"{name}: into has shape {Engine.Shape.Format(into.shape)}, the result has shape {Engine.Shape.Format(shape)}");
        if (into.DType != dtype)
            throw new ArgumentException($"{name}: into has dtype {into.DType.Name()}, the result has dtype {dtype.Name()}");
        CheckNoPartialOverlap(into, a, name);
        CheckNoPartialOverlap(into, b, name);
    }

    // Writing into one of the inputs element for element (same memory, same layout) is an in-place op and fine; any other
    // sharing of storage would read elements that this op already overwrote.
    private static void CheckNoPartialOverlap(Tensor into, Tensor input, string name)
    {
        if (!ReferenceEquals(into.storage, input.storage)) return;
        bool sameLayout = into.offset == input.offset && input.shape.AsSpan().SequenceEqual(into.shape) && input.strides.AsSpan().SequenceEqual(into.strides);
        if (!sameLayout)
            throw new ArgumentException($"{name}: into shares memory with an input of shape {Engine.Shape.Format(input.shape)} at a different offset or layout; write into a separate tensor");
    }
}
