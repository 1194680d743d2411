using static RlPlat.Engine.Tests.Ops.Expect;

namespace RlPlat.Engine.Tests.Ops;

public class ElementwiseIntoTests
{
    [Test]
    public void AddWritesIntoTheGivenTensorWithoutAllocatingAResult()
    {
        var a = F([1, 2, 3, 4, 5, 6], 2, 3);
        var b = F([10, 20, 30], 3);
        var into = Tensor.Zeros(2, 3);
        var data = into.Storage.Data;
        int version = into.Storage.Version;
        var r = a.Add(b, into);
        Assert.That(r, Is.SameAs(into));
        Assert.That(into.Storage.Data, Is.SameAs(data));
        Assert.That(into.Storage.Version, Is.EqualTo(version + 1), "an in-place write bumps the version");
        Close(into, [11, 22, 33, 14, 25, 36], shape: [2, 3]);
    }

    [Test]
    public void SubMulDivAndExpMatchTheirAllocatingForms()
    {
        var a = F([1, -2, 3.5f, 0], 4);
        var b = F([2, 4, -0.5f, 8], 4);
        var into = Tensor.Zeros(4);
        Close(a.Sub(b, into), [-1, -6, 4, -8]);
        Close(a.Mul(b, into), [2, -8, -1.75, 0]);
        Close(a.Div(b, into), [0.5, -0.5, -7, 0]);
        Close(a.Exp(into), [Math.E, Math.Exp(-2), Math.Exp(3.5), 1]);
        Assert.That(a.Exp(Tensor.Zeros(4)).ToArray<float>(), Is.EqualTo(a.Exp().ToArray<float>()));
    }

    [Test]
    public void IntegerDivisionIntoAFloatTensorIsTrueDivision()
    {
        var a = Tensor.FromArray(new[] { 1, 2, 7 }, 3);
        var b = Tensor.FromArray(new[] { 2, 2, 2 }, 3);
        Close(a.Div(b, Tensor.Zeros(3)), [0.5, 1, 3.5]);
    }

    [Test]
    public void IntoMayBeAnInputOrANonContiguousView()
    {
        var a = F([1, 2, 3], 3);
        a.Add(F([1, 1, 1], 3), a);
        Close(a, [2, 3, 4]);

        var buffer = Tensor.Zeros(3, 2);
        var transposed = buffer.T; // [2, 3] with strides (1, 2)
        F([1, 2, 3, 4, 5, 6], 2, 3).Mul(F([2], 1), transposed);
        Close(buffer, [2, 8, 4, 10, 6, 12], shape: [3, 2]);
    }

    [Test]
    public void LargeSplitResultsMatchTheAllocatingOpBitwise()
    {
        var g = new Generator(5);
        var a = Tensor.Rand([1 << 20], g);
        var b = Tensor.Rand([1 << 20], g);
        var into = Tensor.Zeros(1 << 20);
        Assert.That(a.Add(b, into).ToArray<float>(), Is.EqualTo((a + b).ToArray<float>()));
        Assert.That(a.Exp(into).ToArray<float>(), Is.EqualTo(a.Exp().ToArray<float>()));
    }

    [Test]
    public void WrongShapeOrDTypeIsRejectedWithBothValues()
    {
        var a = Tensor.Ones(2, 3);
        var e = Assert.Throws<ArgumentException>(() => a.Add(a, Tensor.Zeros(3, 2)));
        Assert.That(e!.Message, Does.Contain("[3,2]").And.Contain("[2,3]"));
        e = Assert.Throws<ArgumentException>(() => a.Mul(a, Tensor.Zeros(DType.Float64, 2, 3)));
        Assert.That(e!.Message, Does.Contain("float64").And.Contain("float32"));
    }

    [Test]
    public void IntoOverlappingAnInputAtAnotherOffsetIsRejected()
    {
        var buffer = Tensor.Arange(10).Float();
        var x = buffer.Narrow(0, 0, 8);
        var shifted = buffer.Narrow(0, 1, 8);
        var e = Assert.Throws<ArgumentException>(() => x.Add(x, shifted));
        Assert.That(e!.Message, Does.Contain("shares memory"));
    }

    [Test]
    public void InputsThatRequireGradOrAGradLeafAsIntoAreRejected()
    {
        var w = Tensor.Ones(3).RequiresGrad_();
        var e = Assert.Throws<InvalidOperationException>(() => w.Add(Tensor.Ones(3), Tensor.Zeros(3)));
        Assert.That(e!.Message, Does.Contain("autograd"));
        Assert.Throws<InvalidOperationException>(() => Tensor.Ones(3).Add(Tensor.Ones(3), w));
        using (Autograd.NoGrad())
            Close(w.Add(Tensor.Ones(3), Tensor.Zeros(3)), [2, 2, 2]);
    }
}
