namespace RlPlat.Experiments.Config;

/// <summary>One problem found in an experiments file, with where it is (1-based line and column).</summary>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    /// <summary>Formats as <c>file:line:column: message</c>, the form editors and CI logs link to.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>Thrown when an experiments file has errors; carries every error found in the file, not just the first.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>All errors, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} errors:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
        => Errors = errors;
}
