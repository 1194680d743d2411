namespace RlPlat.Environments.Vector;

/// <summary>What a vector step returns: buffers owned by the vector env, valid until its next step or reset.</summary>
/// <param name="Observations">NumEnvs rows of the single observation, row-major (row i is sub-env i).</param>
/// <param name="Rewards">One reward per sub-env.</param>
/// <param name="Terminated">One termination flag per sub-env.</param>
/// <param name="Truncated">One truncation flag per sub-env.</param>
/// <param name="Infos">One info per sub-env (<see cref="Info.Empty"/> when it has nothing to report).</param>
public readonly record struct VectorStepResult<T>(T[] Observations, double[] Rewards, bool[] Terminated, bool[] Truncated, Info[] Infos);
