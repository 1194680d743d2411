using System.Globalization;
using System.Text.Json;
using RlPlat.Engine.Benchmarks;

// Engine benchmark: prints one JSON line per row ({"row","value","unit","higher_is_better"}), the same shape as
// benchmarks/peers/torch_engine.py, so benchmarks/engine.sh can join the two into one table.
// Usage: RlPlat.Engine.Benchmarks [--rows name1,name2,...] [--list]
var rows = new List<BenchRow>();
rows.AddRange(MatMulRows.All());
rows.AddRange(ElementwiseRows.All());
rows.AddRange(MlpRows.All());
rows.AddRange(LazyRows.All());

string? filter = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--rows" && i + 1 < args.Length) filter = args[++i];
    else if (args[i] == "--list")
    {
        foreach (var r in rows) Console.WriteLine(r.Name);
        return 0;
    }
    else
    {
        Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: [--rows a,b,...] [--list]");
        return 2;
    }
}

var wanted = filter?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
if (wanted is not null)
{
    var known = rows.Select(r => r.Name).ToHashSet();
    var unknown = wanted.Where(w => !known.Contains(w)).ToList();
    if (unknown.Count > 0)
    {
        Console.Error.WriteLine($"unknown rows: {string.Join(", ", unknown)}; known: {string.Join(", ", known)}");
        return 2;
    }
}

foreach (var row in rows)
{
    if (wanted is not null && !wanted.Contains(row.Name)) continue;
    double value = row.Measure();
    var line = new Dictionary<string, object>
    {
        ["row"] = row.Name,
        ["value"] = Math.Round(value, 3),
        ["unit"] = row.Unit,
        ["higher_is_better"] = row.HigherIsBetter,
    };
    if (row.Kernels is not null) line["kernels"] = row.Kernels();
    Console.WriteLine(JsonSerializer.Serialize(line));
}

return 0;
