using System.Globalization;

namespace RlPlat.Experiments.Output;

/// <summary>A <c>metrics.csv</c> read back: the columns and their values (NaN where a row left a cell empty).</summary>
public sealed class MetricsTable
{
    private readonly Dictionary<string, double[]> byName;

    /// <summary>Column names, <c>step</c> and <c>wall_time</c> first.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The step of each row.</summary>
    public long[] Steps { get; }

    private MetricsTable(IReadOnlyList<string> columns, long[] steps, Dictionary<string, double[]> byName)
    {
        Columns = columns;
        Steps = steps;
        this.byName = byName;
    }

    /// <summary>The values of <paramref name="name"/>, one per row, or null when there is no such column.</summary>
    public double[]? Column(string name) => byName.GetValueOrDefault(name);

    /// <summary>Reads a metrics file.</summary>
    /// <exception cref="InvalidOperationException">The file is not a metrics table (names the line).</exception>
    public static MetricsTable Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith("step,", StringComparison.Ordinal))
            throw new InvalidOperationException($"{path}:1: expected a header starting with 'step,wall_time'");
        var columns = lines[0].Split(',');
        var values = new double[columns.Length][];
        int n = lines.Length - 1;
        while (n > 0 && lines[n].Length == 0) n--;
        for (int c = 0; c < columns.Length; c++) values[c] = new double[n];
        var steps = new long[n];
        for (int r = 0; r < n; r++)
        {
            var cells = lines[r + 1].Split(',');
            if (cells.Length != columns.Length)
                throw new InvalidOperationException($"{path}:{r + 2}: {cells.Length} cells, the header has {columns.Length}");
            steps[r] = long.Parse(cells[0], CultureInfo.InvariantCulture);
            for (int c = 0; c < columns.Length; c++)
                values[c][r] = cells[c].Length == 0
                    ? double.NaN
                    : double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                        ? v
                        : throw new InvalidOperationException($"{path}:{r + 2}: column '{columns[c]}' holds '{cells[c]}', not a number");
        }
        var byName = new Dictionary<string, double[]>();
        for (int c = 0; c < columns.Length; c++) byName[columns[c]] = values[c];
        return new MetricsTable(columns, steps, byName);
    }
}
