namespace RlPlat.Environments;

/// <summary>
/// An environment with Gymnasium's API and semantics.
/// Observations returned by <see cref="IEnv{TObs,TAction}.Reset"/> and <see cref="IEnv{TObs,TAction}.Step"/>
/// are owned by the environment and stay valid until its next <c>Reset</c> or <c>Step</c>: copy them to keep them
/// (this is what lets a step run without allocating).
/// </summary>
public interface IEnv : IDisposable
{
    /// <summary>The space every observation lies in.</summary>
    Space ObservationSpace { get; }

    /// <summary>The space every action must lie in.</summary>
    Space ActionSpace { get; }

    /// <summary>The registration this env was made from (null when constructed directly).</summary>
    EnvSpec? Spec { get; set; }

    /// <summary>The innermost environment under all wrappers.</summary>
    IEnv UnwrappedEnv { get; }

    /// <summary>Rendering modes this env supports (for example "rgb_array").</summary>
    IReadOnlyList<string> RenderModes { get; }

    /// <summary>An RGB frame (height x width x 3, row-major) of the current state, or null where the env cannot draw.</summary>
    RenderFrame? Render();

    /// <summary>Resets the env; boxed form of the typed <c>Reset</c>, for code that handles envs of any type.</summary>
    (object Observation, Info Info) ResetObject(int? seed = null, IReadOnlyDictionary<string, object?>? options = null);

    /// <summary>Steps the env with a boxed action; boxed form of the typed <c>Step</c>.</summary>
    StepResult<object> StepObject(object action);

    /// <summary>Releases what the env holds; calling it twice is harmless.</summary>
    void Close();
}

/// <summary>A typed environment: <typeparamref name="TObs"/> observations, <typeparamref name="TAction"/> actions.</summary>
public interface IEnv<TObs, TAction> : IEnv
{
    /// <summary>Starts a new episode. A seed re-seeds the env's random generator (Gymnasium: <c>reset(seed=...)</c>).</summary>
    (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null);

    /// <summary>Applies one action.</summary>
    StepResult<TObs> Step(TAction action);
}

/// <summary>What one step returns (Gymnasium's 5-tuple).</summary>
public readonly record struct StepResult<TObs>(TObs Observation, double Reward, bool Terminated, bool Truncated, Info Info)
{
    /// <summary>True when the episode ended for either reason.</summary>
    public bool Done => Terminated || Truncated;
}

/// <summary>An RGB image: <c>Pixels</c> holds Height*Width*3 bytes, row-major.</summary>
public sealed record RenderFrame(int Height, int Width, byte[] Pixels);
