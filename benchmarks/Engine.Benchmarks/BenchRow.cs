namespace RlPlat.Engine.Benchmarks;

/// <summary>One benchmark row: a name shared with the peer script, a measurement, its unit and which direction is better.</summary>
/// <param name="Name">Row key, identical in <c>benchmarks/peers/torch_engine.py</c> so the runner can join them.</param>
/// <param name="Unit">Unit of the number <paramref name="Measure"/> returns (GFLOP/s, ns/op, ...).</param>
/// <param name="HigherIsBetter">True for throughputs, false for times.</param>
/// <param name="Measure">Runs the workload (with its own warmup) and returns the figure.</param>
/// <param name="Kernels">Kernels one run of the workload launches, where the row counts them (lazy rows), else null.</param>
public sealed record BenchRow(string Name, string Unit, bool HigherIsBetter, Func<double> Measure, Func<long>? Kernels = null);
