using System.Buffers.Binary;
using System.Text;
using RlPlat.Experiments.Cli;
using RlPlat.Experiments.Output;
using RlPlat.Experiments.Running;

namespace RlPlat.Experiments.Tests.Output;

/// <summary>TensorBoard event files: CRC-32C against published vectors, record framing and protobuf bytes derived by hand.</summary>
[NonParallelizable]
public class TensorBoardTests
{
    private string dir = "";

    [SetUp]
    public void SetUp() => dir = Path.Combine(Path.GetTempPath(), "rlplat-tb-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    [Test]
    public void Crc32CMatchesPublishedVectors()
    {
        Assert.That(Crc32C.Compute("123456789"u8), Is.EqualTo(0xE3069283u));
        // RFC 3720 (iSCSI), appendix B.4.
        Assert.That(Crc32C.Compute(new byte[32]), Is.EqualTo(0x8A9136AAu));
        Assert.That(Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()), Is.EqualTo(0x62A8AB43u));
        Assert.That(Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()), Is.EqualTo(0x46DD794Eu));
        uint crc = 0xE3069283;
        Assert.That(Crc32C.Masked("123456789"u8), Is.EqualTo(((crc >> 15) | (crc << 17)) + 0xA282EAD8u));
    }

    /// <summary>Every record of an event file, checking both masked CRCs.</summary>
    private static List<byte[]> Records(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        for (int at = 0; at < bytes.Length;)
        {
            var header = bytes.AsSpan(at, 8);
            int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)), Is.EqualTo(Crc32C.Masked(header)), "length CRC");
            var data = bytes.AsSpan(at + 12, length).ToArray();
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + length)), Is.EqualTo(Crc32C.Masked(data)), "data CRC");
            records.Add(data);
            at += 16 + length;
        }
        return records;
    }

    [Test]
    public void EventsAreTfRecordFramedProtobufs()
    {
        string path;
        using (var w = new TfEventsWriter(dir, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)))
        {
            w.Scalars(1.5, 3, [new("a", 2.0)]);
            w.SessionStart(1.5, 7);
            path = w.Path;
        }
        Assert.That(Path.GetFileName(path), Does.StartWith("events.out.tfevents.1767323045."));
        var records = Records(path);
        Assert.That(records, Has.Count.EqualTo(3));
        // Event{wall_time: 1767323045.0, step: 0, file_version: "brain.Event:2"}
        var version = new byte[] { 0x09 }.Concat(BitConverter.GetBytes(1767323045.0)).Concat(new byte[] { 0x10, 0x00, 0x1A, 0x0D }).Concat(Encoding.ASCII.GetBytes("brain.Event:2"));
        Assert.That(records[0], Is.EqualTo(version.ToArray()));
        // Event{wall_time: 1.5, step: 3, summary: {value: [{tag: "a", simple_value: 2.0}]}}
        Assert.That(records[1], Is.EqualTo(new byte[]
        {
            0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0x10, 0x03,
            0x2A, 0x0A, 0x0A, 0x08, 0x0A, 0x01, (byte)'a', 0x15, 0x00, 0x00, 0x00, 0x40,
        }));
        // Event{wall_time: 1.5, step: 7, session_log: {status: START}}
        Assert.That(records[2], Is.EqualTo(new byte[] { 0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0x10, 0x07, 0x32, 0x02, 0x08, 0x01 }));
    }

    [Test]
    public void RunWithTensorBoardWritesEveryLoggedScalar()
    {
        Directory.CreateDirectory(dir);
        LayerWiring.Install();
        AgentRunTarget.RegisterAll();
        File.WriteAllText(Path.Combine(dir, "tb.yaml"), """
            experiments:
              - name: tb
                env: {id: CartPole-v1}
                agent: {algorithm: ppo, hyperparameters: {n_steps: 32, batch_size: 32, n_epochs: 1}}
                training: {total_steps: 300, log_every_steps: 100}
                evaluation: {every_steps: 0, episodes: 1}
                tensorboard: true
            """);
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.That(CommandLineApp.Run(["run", Path.Combine(dir, "tb.yaml"), "--out", Path.Combine(dir, "runs")], new CommandIO(o, e, Interactive: false), CancellationToken.None), Is.EqualTo(0), e.ToString());
        var runDir = Path.Combine(dir, "runs", "tb", "0");
        var file = Directory.GetFiles(Path.Combine(runDir, "tensorboard")).Single();
        var scalars = new List<(long Step, string Tag, float Value)>();
        foreach (var record in Records(file).Skip(1)) scalars.AddRange(ScalarsOf(record));
        var episodes = MetricsTable.Read(Path.Combine(runDir, "metrics.csv"));
        var expected = new List<(long, string, float)>();
        for (int i = 0; i < episodes.Steps.Length; i++)
            if (double.IsFinite(episodes.Column("episode_return")![i])) expected.Add((episodes.Steps[i], "episode_return", (float)episodes.Column("episode_return")![i]));
        Assert.That(scalars.Where(s => s.Tag == "episode_return"), Is.EqualTo(expected));
        var final = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "summary.json"))).RootElement.GetProperty("final_eval_return").GetDouble();
        Assert.That(scalars.Single(s => s.Tag == "eval_return"), Is.EqualTo((300L, "eval_return", (float)final)));
        Assert.That(scalars.Where(s => s.Tag.StartsWith("train/")).Select(s => s.Step).Distinct(), Is.EqualTo(new long[] { 100, 200, 300 }), "learner metrics at each log_every_steps");
    }

    /// <summary>A minimal protobuf reader for Event{step, summary{value{tag, simple_value}}}.</summary>
    private static IEnumerable<(long Step, string Tag, float Value)> ScalarsOf(byte[] e)
    {
        long step = 0;
        var found = new List<(string, float)>();
        foreach (var (field, value, bytes) in Fields(e))
        {
            if (field == 2) step = (long)value;
            if (field != 5) continue;
            foreach (var (vf, _, vbytes) in Fields(bytes!))
                if (vf == 1)
                {
                    string tag = "";
                    float simple = float.NaN;
                    foreach (var (sf, sv, sbytes) in Fields(vbytes!))
                        if (sf == 1) tag = Encoding.UTF8.GetString(sbytes!);
                        else if (sf == 2) simple = BitConverter.Int32BitsToSingle((int)sv);
                    found.Add((tag, simple));
                }
        }
        foreach (var (tag, v) in found) yield return (step, tag, v);
    }

    private static List<(int Field, ulong Value, byte[]? Bytes)> Fields(byte[] m)
    {
        var fields = new List<(int, ulong, byte[]?)>();
        int at = 0;
        ulong Varint()
        {
            ulong v = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = m[at++];
                v |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return v;
            }
        }
        while (at < m.Length)
        {
            ulong key = Varint();
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: fields.Add((field, Varint(), null)); break;
                case 1: fields.Add((field, BinaryPrimitives.ReadUInt64LittleEndian(m.AsSpan(at)), null)); at += 8; break;
                case 2: int n = (int)Varint(); fields.Add((field, 0, m[at..(at + n)])); at += n; break;
                case 5: fields.Add((field, BinaryPrimitives.ReadUInt32LittleEndian(m.AsSpan(at)), null)); at += 4; break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
        return fields;
    }
}
