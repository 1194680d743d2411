using System.Text.Encodings.Web;
using System.Text.Json;

namespace RlPlat.Experiments.Output;

/// <summary>The one JSON style of every file the runner writes: snake_case names, indented summaries, one-line events.</summary>
public static class Json
{
    /// <summary>Options for summaries (indented, snake_case, nulls written so every field is always present).</summary>
    public static readonly JsonSerializerOptions Indented = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Options for JSON lines (one object per line).</summary>
    public static readonly JsonSerializerOptions Line = new(Indented) { WriteIndented = false };

    /// <summary>Writes <paramref name="value"/> as indented JSON to <paramref name="path"/>, atomically.</summary>
    public static void WriteFile<T>(string path, T value) => AtomicFile.WriteText(path, JsonSerializer.Serialize(value, Indented) + "\n");

    /// <summary>Reads a JSON file written by <see cref="WriteFile"/>.</summary>
    public static T ReadFile<T>(string path)
        => JsonSerializer.Deserialize<T>(File.ReadAllText(path), Indented)
           ?? throw new InvalidOperationException($"'{path}' holds JSON null, expected a {typeof(T).Name}");
}
