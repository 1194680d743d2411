using System.Globalization;

namespace RlPlat.Experiments.Cli;

/// <summary><c>rlplat list</c>: checks a file and prints its experiments.</summary>
internal sealed class ListCommand : Command
{
    public override string Name => "list";
    public override string Summary => "Check an experiments file (default: experiments.yaml) and list its experiments.";
    public override string Usage => "list [FILE]";
    public override IReadOnlyList<OptionSpec> Options { get; } = [];
    public override string Details => "Exit codes: 0 the file is valid, 2 no such file, 3 the file has errors (each printed as file:line:column).";

    public override int Execute(ParsedArgs args, CommandIO io, CancellationToken cancel)
    {
        ExpectPositionals(args, 0, 1);
        var file = args.Positionals.Count == 1 ? args.Positionals[0] : "experiments.yaml";
        var experiments = ExperimentFileLoading.Load(file, io);
        if (experiments is null) return ExitCodes.InvalidConfig;
        var rows = new List<string[]> { new[] { "name", "agent", "env / connector", "n_envs", "steps", "device", "seeds" } };
        foreach (var e in experiments)
            rows.Add([e.Name, e.AgentName, e.Target, e.NEnvs.ToString(CultureInfo.InvariantCulture),
                e.Training.TotalSteps.ToString("N0", CultureInfo.InvariantCulture), e.Training.Device, string.Join(",", e.Seeds)]);
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
            for (int c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        foreach (var row in rows)
            io.Out.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        io.Out.WriteLine($"{file}: {experiments.Count} experiment(s), valid");
        return ExitCodes.Success;
    }
}
