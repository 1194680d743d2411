using System.Text;
using RlPlat.Engine;
using RlPlat.Engine.Checkpoints;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Engine.Tests.Checkpoints;

public class CheckpointTests
{
    private string dir = "";

    [SetUp]
    public void SetUp()
    {
        dir = Path.Combine(Path.GetTempPath(), "rlplat-ckpt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    [Test]
    public void Crc32MatchesTheStandardCheckValue() =>
        Assert.That(Crc32.Compute(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));

    private static (GrowableMlp Net, Adam Opt) Trained(Generator g)
    {
        var net = new GrowableMlp([3, 6, 2], "tanh", g);
        var opt = new Adam(net, lr: 0.01);
        TrainSteps(net, opt, 3, 0);
        net.Widen(0, 9);
        net.Deepen(0);
        TrainSteps(net, opt, 3, 3);
        return (net, opt);
    }

    private static void TrainSteps(Module net, Optimizer opt, int n, int seed)
    {
        for (int i = 0; i < n; i++)
        {
            var x = Tensor.Randn([8, 3], new Generator(seed + i));
            opt.ZeroGrad();
            Functional.MseLoss(net.Forward(x), x.Narrow(1, 0, 2)).Backward();
            opt.Step();
        }
    }

    [Test]
    public void GrownModelOptimizerAndBlobsRoundTripAndTrainingResumesIdentically()
    {
        var (net, opt) = Trained(new Generator(1));
        var rng = new Generator(77);
        rng.NextDouble();
        var path = Path.Combine(dir, "run", "ckpt.rlp");
        new Checkpoint()
            .Add("model", net)
            .Add("optimizer", opt)
            .SetLong("step", 12345)
            .SetGenerator("rng", rng)
            .SetDoubles("obs_mean", [0.5, -1.25])
            .SetString("config", "lr: 0.01")
            .Save(path);

        var loaded = Checkpoint.Load(path);
        var net2 = new GrowableMlp([3, 6, 2], "tanh", new Generator(99));
        var opt2 = new Adam(net2, lr: 0.5);
        loaded.LoadInto("model", net2);
        loaded.LoadInto("optimizer", opt2);
        var rng2 = new Generator(0);
        loaded.RestoreGenerator("rng", rng2);
        Assert.That(net2.Describe(), Is.EqualTo("3-9-r9-2"));
        Assert.That(loaded.GetLong("step"), Is.EqualTo(12345));
        Assert.That(loaded.GetDoubles("obs_mean"), Is.EqualTo(new[] { 0.5, -1.25 }));
        Assert.That(loaded.GetString("config"), Is.EqualTo("lr: 0.01"));
        Assert.That(rng2.NextUInt64(), Is.EqualTo(rng.NextUInt64()));

        TrainSteps(net, opt, 2, 10);
        TrainSteps(net2, opt2, 2, 10);
        var x = Tensor.Randn([4, 3], new Generator(5));
        Assert.That(net2.Forward(x).ToArray(), Is.EqualTo(net.Forward(x).ToArray()), "same weights and optimizer state, same training");
    }

    [Test]
    public void SaveIsAtomicAndOverwrites()
    {
        var path = Path.Combine(dir, "a.rlp");
        new Checkpoint().SetLong("v", 1).Save(path);
        new Checkpoint().SetLong("v", 2).Save(path);
        Assert.That(Checkpoint.Load(path).GetLong("v"), Is.EqualTo(2));
        Assert.That(Directory.GetFiles(dir), Is.EqualTo(new[] { path }), "no temp files left behind");
    }

    [Test]
    public void TruncatedCorruptedAndForeignFilesAreRejectedAndTheModelIsUntouched()
    {
        var net = new Linear(4, 3, generator: new Generator(1));
        var path = Path.Combine(dir, "m.rlp");
        new Checkpoint().Add("model", new Linear(4, 3, generator: new Generator(2))).Save(path);
        var good = File.ReadAllBytes(path);
        var before = net.Weight.Value.ToArray();

        File.WriteAllBytes(path, good[..^10]);
        Assert.That(Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path))!.Message, Does.Contain("truncated"));
        File.WriteAllBytes(path, good[..10]);
        Assert.That(Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path))!.Message, Does.Contain("shorter than the 24-byte header"));

        var flipped = (byte[])good.Clone();
        flipped[^5] ^= 0x40;
        File.WriteAllBytes(path, flipped);
        Assert.That(Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path))!.Message, Does.Contain("checksum mismatch"));

        var foreign = (byte[])good.Clone();
        foreign[0] = (byte)'X';
        File.WriteAllBytes(path, foreign);
        Assert.That(Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path))!.Message, Does.Contain("bad magic"));

        var future = (byte[])good.Clone();
        future[8] = 9;
        File.WriteAllBytes(path, future);
        Assert.That(Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path))!.Message, Does.Contain("format version 9"));

        Assert.That(net.Weight.Value.ToArray(), Is.EqualTo(before));
    }

    [Test]
    public void WrongShapedSectionFailsBeforeWritingAnything()
    {
        var path = Path.Combine(dir, "m.rlp");
        new Checkpoint().Add("model", new Sequential(new Linear(4, 3), new Linear(3, 5))).Save(path);
        var target = new Sequential(new Linear(4, 3), new Linear(3, 2));
        var before = ((Linear)target[0]).Weight.Value.ToArray();
        var ex = Assert.Throws<ArgumentException>(() => Checkpoint.Load(path).LoadInto("model", target));
        Assert.That(ex!.Message, Does.Contain("1.weight: checkpoint [5,3] vs module [2,3]"));
        Assert.That(((Linear)target[0]).Weight.Value.ToArray(), Is.EqualTo(before));
        Assert.That(Assert.Throws<KeyNotFoundException>(() => Checkpoint.Load(path).Section("critic"))!.Message, Does.Contain("sections: model"));
    }

    [Test]
    public void EveryDTypeRoundTrips()
    {
        var sd = new StateDict
        {
            ["f32"] = Tensor.FromArray(new float[] { 1.5f, -2 }, 2),
            ["f64"] = Tensor.FromArray(new double[] { Math.PI }, 1, 1),
            ["i32"] = Tensor.FromArray(new int[] { -7, 8, 9 }, 3),
            ["i64"] = Tensor.Scalar(1L << 40, DType.Int64),
            ["bool"] = Tensor.FromArray(new[] { true, false }, 2),
            ["u8"] = Tensor.FromArray(new byte[] { 255, 0 }, 2),
            ["view"] = Tensor.Arange(6).Reshape(2, 3).T,
        };
        var back = Checkpoint.FromBytes(new Checkpoint().Add("s", sd).ToBytes()).Section("s");
        Assert.That(back.Keys, Is.EqualTo(sd.Keys));
        foreach (var (k, v) in sd)
        {
            Assert.That(back[k].DType, Is.EqualTo(v.DType), k);
            Assert.That(back[k].Shape, Is.EqualTo(v.Shape), k);
            Assert.That(back[k].Equal(v), Is.True, k);
        }
    }
}
