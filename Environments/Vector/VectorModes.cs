namespace RlPlat.Environments.Vector;

/// <summary>Gymnasium's autoreset modes for vector envs.</summary>
public enum AutoresetMode
{
    /// <summary>
    /// Gymnasium's default: the step after an episode ends resets that sub-env (its action is ignored), returning the
    /// reset observation with reward 0 and both flags false.
    /// </summary>
    NextStep,
    /// <summary>
    /// The step that ends an episode resets at once: it returns the reset observation, the final reward and flags, and
    /// the terminal observation and info in the sub-env's info under "final_obs" and "final_info".
    /// </summary>
    SameStep,
    /// <summary>
    /// No automatic reset: sub-envs keep being stepped after their episodes end until the caller resets them with
    /// <c>Reset(resetMask: ...)</c> (Gymnasium's <c>reset(options={"reset_mask": mask})</c>).
    /// </summary>
    Disabled,
}

/// <summary>How <c>Gym.MakeVec</c> runs its sub-envs.</summary>
public enum VectorizationMode
{
    /// <summary>One after another on the calling thread (<see cref="SyncVectorEnv{T, TAction}"/>).</summary>
    Sync,
    /// <summary>In parallel on worker threads (<see cref="ThreadedVectorEnv{T, TAction}"/>).</summary>
    Threaded,
}
