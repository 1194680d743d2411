namespace RlPlat.Engine;

/// <summary>
/// One recorded operation in the define-by-run graph: the inputs it read, a closure that maps the output's gradient
/// to the inputs' gradients (micrograd's <c>_backward</c>, with tensors), and the versions of the tensors it saved.
/// </summary>
public sealed class Node
{
    /// <summary>The op's name, used in error messages ("MatMul", "Exp", ...).</summary>
    public string Name { get; }

    internal Tensor?[]? Inputs;
    internal Func<Tensor, Tensor?[]>? BackwardFn;
    private Tensor[]? saved;
    private int[]? savedVersions;

    internal Node(string name, Tensor?[] inputs, Func<Tensor, Tensor?[]> backward, Tensor[]? saved)
    {
        Name = name;
        Inputs = inputs;
        BackwardFn = backward;
        if (saved is { Length: > 0 })
        {
            this.saved = saved;
            savedVersions = new int[saved.Length];
            for (int i = 0; i < saved.Length; i++) savedVersions[i] = saved[i].storage.Version;
        }
    }

    /// <summary>True once backward ran without retainGraph and the saved tensors were released.</summary>
    public bool IsReleased => BackwardFn == null;

    internal void CheckSavedVersions()
    {
        if (saved == null) return;
        for (int i = 0; i < saved.Length; i++)
        {
            int now = saved[i].storage.Version;
            if (now == savedVersions![i]) continue;
            if (saved[i].storage.IsReleased)
                throw new ObjectDisposedException("Tensor",
                    $"Backward: a tensor of shape {Shape.Format(saved[i].shape)} that {Name} saved for its gradient was disposed (Tensor.Dispose) before backward ran; dispose it after Backward()");
            throw new InvalidOperationException(
                $"Backward: a tensor of shape {Shape.Format(saved[i].shape)} that {Name} saved for its gradient was modified by an in-place operation " +
                $"(saved at version {savedVersions[i]}, now version {now}); use an out-of-place op or Clone() before modifying it");
        }
    }

    /// <summary>Drops everything the backward pass needed, so the inputs and saved tensors can be collected.</summary>
    internal void Release()
    {
        BackwardFn = null;
        Inputs = null;
        saved = null;
        savedVersions = null;
    }
}
