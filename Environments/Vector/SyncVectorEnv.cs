namespace RlPlat.Environments.Vector;

/// <summary>Gymnasium's <c>SyncVectorEnv</c>: sub-envs stepped one after another on the calling thread.</summary>
public sealed class SyncVectorEnv<T, TAction> : VectorEnv<T, TAction> where T : unmanaged
{
    /// <summary>Builds one sub-env per factory.</summary>
    public SyncVectorEnv(IReadOnlyList<Func<IEnv<T[], TAction>>> envFactories, AutoresetMode autoresetMode = AutoresetMode.NextStep)
        : base(envFactories, autoresetMode) { }

    /// <inheritdoc />
    protected override void Run(bool resetting)
    {
        for (int i = 0; i < NumEnvs; i++)
        {
            if (resetting) ResetOne(i);
            else StepOne(i);
        }
    }
}
