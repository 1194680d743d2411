using System.Buffers;
using MessagePack;
using RlPlat.Connectors.Protocol;
using RlPlat.Environments;

namespace RlPlat.Connectors.Tests.Protocol;

public class ValueCodecTests
{
    [Test]
    public void Float32Tensor_IsAMapOfDtypeShapeAndLittleEndianBytes()
    {
        var bytes = ValueCodec.Serialize(new[] { 1f, -2f });
        // fixmap(3) "dtype" "float32" "shape" [2] "data" bin8(8) 00 00 80 3F 00 00 00 C0 : checked by hand against the spec
        byte[] expected = [0x83, 0xA5, .."dtype"u8, 0xA7, .."float32"u8, 0xA5, .."shape"u8, 0x91, 0x02, 0xA4, .."data"u8, 0xC4, 0x08,
            0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0];
        Assert.That(bytes, Is.EqualTo(expected));
    }

    [Test]
    public void Values_RoundTrip_WithTheirTypes()
    {
        var value = new Dictionary<string, object?>
        {
            ["f32"] = new[] { 1.5f, 2.5f },
            ["f64"] = new[] { 1e300, -0.0 },
            ["u8"] = new byte[] { 0, 255 },
            ["i32"] = new[] { int.MinValue, 7 },
            ["i64"] = new[] { long.MaxValue },
            ["b"] = new[] { true, false },
            ["int"] = 42,
            ["real"] = 0.25,
            ["text"] = "hé",
            ["none"] = null,
            ["list"] = new object?[] { 1, "two", new[] { 3f } },
        };
        var back = (Dictionary<string, object?>)ValueCodec.Deserialize(ValueCodec.Serialize(value))!;
        Assert.That(back["f32"], Is.EqualTo(new[] { 1.5f, 2.5f }).And.TypeOf<float[]>());
        Assert.That(back["f64"], Is.EqualTo(new[] { 1e300, -0.0 }).And.TypeOf<double[]>());
        Assert.That(back["u8"], Is.EqualTo(new byte[] { 0, 255 }).And.TypeOf<byte[]>());
        Assert.That(back["i32"], Is.EqualTo(new[] { int.MinValue, 7 }).And.TypeOf<int[]>());
        Assert.That(back["i64"], Is.EqualTo(new[] { long.MaxValue }).And.TypeOf<long[]>());
        Assert.That(back["b"], Is.EqualTo(new[] { true, false }).And.TypeOf<bool[]>());
        Assert.That(back["int"], Is.EqualTo(42L));
        Assert.That(back["real"], Is.EqualTo(0.25));
        Assert.That(back["text"], Is.EqualTo("hé"));
        Assert.That(back["none"], Is.Null);
        var list = (object?[])back["list"]!;
        Assert.That(list[0], Is.EqualTo(1L));
        Assert.That(list[1], Is.EqualTo("two"));
        Assert.That(list[2], Is.EqualTo(new[] { 3f }));
    }

    [Test]
    public void ShapedTensor_KeepsItsShape_AndZeroDimTensorIsAScalar()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        ValueCodec.Write(ref w, new[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        w.Flush();
        var reader = new MessagePackReader(buffer.WrittenMemory);
        var map = ValueCodec.ReadMap(ref reader);
        Assert.That(map["shape"], Is.EqualTo(new object[] { 2L, 3L }));
        Assert.That(() => ValueCodec.Serialize(null) is not null, Is.True);

        var scalar = Tensor("int64", [], BitConverter.GetBytes(9L));
        Assert.That(ValueCodec.Deserialize(scalar), Is.EqualTo(9L));
    }

    [Test]
    public void WrongShapeOnWrite_NamesTheSizes() =>
        Assert.That(() =>
        {
            var w = new MessagePackWriter(new ArrayBufferWriter<byte>());
            ValueCodec.Write(ref w, new float[5], [2, 3]);
        }, Throws.ArgumentException.With.Message.Contains("5 values").And.Message.Contains("[2,3]"));

    [TestCase("float32", new[] { 3 }, 11, "needs 12 bytes, got 11")]
    [TestCase("float16", new[] { 1 }, 2, "unknown dtype 'float16'")]
    [TestCase("int32", new[] { -1 }, 0, "shape entry 0 is -1")]
    [TestCase("uint8", new[] { 65536, 65536 }, 0, "more than")]
    public void MalformedTensor_IsAProtocolErrorThatSaysWhy(string dtype, int[] shape, int dataBytes, string why)
    {
        var e = Assert.Throws<ProtocolException>(() => ValueCodec.Deserialize(Tensor(dtype, shape, new byte[dataBytes])));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidArgument));
        Assert.That(e.Message, Does.Contain(why));
    }

    [Test]
    public void DeepNesting_IsRefused_NotAStackOverflow()
    {
        var bytes = new byte[100_000];
        Array.Fill(bytes, (byte)0x91); // fixarray(1) nested 100k deep
        var e = Assert.Throws<ProtocolException>(() => ValueCodec.Deserialize(bytes));
        Assert.That(e!.Message, Does.Contain("malformed").Or.Contain("depth"));
    }

    [Test]
    public void HugeDeclaredLengths_AndNonStringKeys_AreRefused()
    {
        byte[] hugeArray = [0xDD, 0x7F, 0xFF, 0xFF, 0xFF]; // array32 of 2^31-1 items in a 5-byte message
        Assert.That(() => ValueCodec.Deserialize(hugeArray), Throws.TypeOf<ProtocolException>());
        byte[] intKey = [0x81, 0x01, 0x02];
        Assert.That(() => ValueCodec.Deserialize(intKey), Throws.TypeOf<ProtocolException>().With.Message.Contains("keys must be strings"));
        Assert.That(() => ValueCodec.Deserialize(new byte[] { 0x01, 0x02 }), Throws.TypeOf<ProtocolException>().With.Message.Contains("1 bytes left over"));
    }

    internal static byte[] Tensor(string dtype, int[] shape, byte[] data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(3);
        w.Write("dtype"); w.Write(dtype);
        w.Write("shape"); w.WriteArrayHeader(shape.Length); foreach (var d in shape) w.Write(d);
        w.Write("data"); w.Write(data);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}

public class SpaceWireTests
{
    private static SpaceDescription RoundTrip(Space space)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        SpaceWire.Describe(space).Write(ref w);
        w.Flush();
        return SpaceDescription.FromMap(ValueCodec.Deserialize(buffer.WrittenMemory), "space");
    }

    [Test]
    public void Box_RoundTripsWithBoundsShapeAndDType()
    {
        var box = new Box([-1, double.NegativeInfinity, 0, 0], [1, double.PositiveInfinity, 2, 3], [2, 2], BoxDType.Float64);
        var back = (Box)SpaceWire.Rebuild(RoundTrip(box));
        Assert.That(back.Shape, Is.EqualTo(new[] { 2, 2 }));
        Assert.That(back.DType, Is.EqualTo(BoxDType.Float64));
        Assert.That(back.Low, Is.EqualTo(box.Low));
        Assert.That(back.High, Is.EqualTo(box.High));
    }

    [Test]
    public void DiscreteKinds_RoundTrip()
    {
        var d = (Discrete)SpaceWire.Rebuild(RoundTrip(new Discrete(5, start: -2)));
        Assert.That((d.N, d.Start), Is.EqualTo((5, -2)));
        var md = (MultiDiscrete)SpaceWire.Rebuild(RoundTrip(new MultiDiscrete([3, 4], [1, 0])));
        Assert.That((md.Nvec, md.Start), Is.EqualTo((new[] { 3, 4 }, new[] { 1, 0 })));
        var mb = (MultiBinary)SpaceWire.Rebuild(RoundTrip(new MultiBinary([2, 3])));
        Assert.That(mb.Shape, Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void Composites_RoundTrip_AndCoerceValues()
    {
        var space = new DictSpace(new Dictionary<string, Space>
        {
            ["pos"] = new Box(-1, 1, [2]),
            ["mode"] = new TupleSpace([new Discrete(2), new MultiBinary(3)]),
        });
        var desc = RoundTrip(space);
        var back = (DictSpace)SpaceWire.Rebuild(desc);
        Assert.That(back.Spaces.Keys, Is.EqualTo(new[] { "mode", "pos" }));
        Assert.That(((TupleSpace)back["mode"]).Spaces[1], Is.TypeOf<MultiBinary>());

        // values as a Python peer sends them: float64 arrays, int64 scalars, int64 arrays
        var wire = new Dictionary<string, object?> { ["pos"] = new[] { 0.5, -0.25 }, ["mode"] = new object?[] { 1L, new long[] { 1, 0, 1 } } };
        var value = (IReadOnlyDictionary<string, object>)desc.Coerce(wire, "obs");
        Assert.That(value["pos"], Is.EqualTo(new[] { 0.5f, -0.25f }).And.TypeOf<float[]>());
        var mode = (object[])value["mode"];
        Assert.That(mode[0], Is.EqualTo(1).And.TypeOf<int>());
        Assert.That(mode[1], Is.EqualTo(new byte[] { 1, 0, 1 }));
        Assert.That(space.Contains(value), Is.True);
    }

    [Test]
    public void PlainNumberArrays_AreAcceptedForTensorSpaces_AsASmallJavaScriptEncoderSendsThem()
    {
        var wire = ValueCodec.Deserialize(ValueCodec.Serialize(new object?[] { 0.25, 1L }));
        var box = SpaceWire.Describe(new Box(-1, 1, [2]));
        Assert.That(box.Coerce(wire, "action"), Is.EqualTo(new[] { 0.25f, 1f }).And.TypeOf<float[]>());
        var md = SpaceWire.Describe(new MultiDiscrete([3, 3]));
        Assert.That(md.Coerce(new object?[] { 2L, 0L }, "action"), Is.EqualTo(new[] { 2, 0 }).And.TypeOf<int[]>());
    }

    [Test]
    public void Coerce_NamesWhatDoesNotFit()
    {
        var box = SpaceWire.Describe(new Box(-1, 1, [3]));
        Assert.That(() => box.Coerce(new[] { 1f }, "action"), Throws.TypeOf<ProtocolException>().With.Message.EqualTo("action expected 3 values, got 1"));
        var discrete = SpaceWire.Describe(new Discrete(2));
        Assert.That(() => discrete.Coerce(0.5, "action"), Throws.TypeOf<ProtocolException>().With.Message.Contains("expected an integer, got 0.5"));
        Assert.That(() => SpaceDescription.FromMap(new Dictionary<string, object?> { ["kind"] = "sphere" }, "observation_space"),
            Throws.TypeOf<ProtocolException>().With.Message.Contains("unknown space kind 'sphere'"));
    }
}
