using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Models.HuggingFace;

/// <summary>
/// Typed reads of a Hugging Face JSON file (<c>config.json</c>, <c>generation_config.json</c>) whose every failure
/// names the file and the field.
/// </summary>
internal sealed class ConfigJson
{
    private readonly JsonElement _root;

    private ConfigJson(string path, JsonElement root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    public JsonElement Root => _root;

    /// <summary>Parses <paramref name="path"/>; a missing file is <c>file_not_found</c>, bad JSON <c>corrupt_file</c>.</summary>
    public static ConfigJson Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"'{path}' does not exist.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new HanlinException(ErrorCodes.CorruptFile, $"'{path}' is not a JSON object.");
            }

            return new ConfigJson(path, document.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"'{path}' is not valid JSON: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"'{path}' could not be read: {ex.Message}", ex);
        }
    }

    public static ConfigJson? LoadIfExists(string path) => File.Exists(path) ? Load(path) : null;

    public ConfigJson? Object(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? new ConfigJson(Path, value) : null;

    public bool Has(string name) => _root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public int RequiredInt(string name) => Int(name) ?? throw Missing(name, "an integer");

    public int? Int(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result) ? result : throw Invalid(name, value, "an integer");
    }

    public double? Number(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Invalid(name, value, "a number");
    }

    public bool? Bool(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, value, "true or false"),
        };
    }

    public string? String(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(name, value, "a string");
    }

    /// <summary>An integer or an array of integers (as <c>eos_token_id</c> may be); empty when absent.</summary>
    public IReadOnlyList<int> Ints(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            return [Int(name)!.Value];
        }

        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out _)))
        {
            return value.EnumerateArray().Select(e => e.GetInt32()).ToArray();
        }

        throw Invalid(name, value, "an integer or an array of integers");
    }

    public IReadOnlyList<string> Strings(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray();
    }

    public HanlinException Missing(string name, string expected) =>
        new(ErrorCodes.CorruptFile, $"'{Path}' lacks \"{name}\" ({expected}).");

    private HanlinException Invalid(string name, JsonElement value, string expected) =>
        new(ErrorCodes.CorruptFile, $"'{Path}' has \"{name}\": {value.GetRawText()}, which is not {expected}.");
}
