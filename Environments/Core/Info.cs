namespace RlPlat.Environments;

/// <summary>
/// The info dictionary of Gymnasium's reset/step. Resets and steps with nothing to report return <see cref="Empty"/>,
/// so an ordinary step (or reset) allocates nothing; wrappers that add entries copy-on-write (new Info when given Empty).
/// </summary>
public sealed class Info : Dictionary<string, object?>
{
    /// <summary>A shared empty info; never add to it.</summary>
    public static readonly Info Empty = new(readOnly: true);

    private readonly bool readOnly;

    /// <summary>An empty, writable info.</summary>
    public Info() { }

    private Info(bool readOnly) => this.readOnly = readOnly;

    /// <summary>Adds or replaces an entry and returns this info, for chaining.</summary>
    public Info With(string key, object? value)
    {
        if (readOnly) throw new InvalidOperationException("Info.Empty is shared and read-only: create a new Info to add entries.");
        this[key] = value;
        return this;
    }
}
