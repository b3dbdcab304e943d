using System.Text.Json;

namespace Hanlin.Training.Datasets;

/// <summary>Field access on one dataset line that reports a <see cref="DatasetProblemKind.MissingField"/> instead of throwing.</summary>
internal static class JsonFields
{
    /// <summary>A required string field; reports it missing (absent, null or not a string).</summary>
    public static string? RequiredString(JsonElement element, string name, string label, int lineNumber, List<DatasetProblem> problems)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        var what = element.TryGetProperty(name, out var present) ? $"is {Describe(present.ValueKind)}, not a string" : "is missing";
        problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MissingField, $"{label}: the field '{name}' {what}."));
        return null;
    }

    /// <summary>An optional string field: null when absent or JSON null; reports any other non-string type.</summary>
    public static string? OptionalString(JsonElement element, string name, string label, int lineNumber, List<DatasetProblem> problems)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MissingField, $"{label}: the field '{name}' is {Describe(value.ValueKind)}, not a string."));
        return null;
    }

    /// <summary>A required array field; reports it missing or of the wrong type.</summary>
    public static JsonElement? RequiredArray(JsonElement element, string name, int lineNumber, List<DatasetProblem> problems)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array)
        {
            return value;
        }

        var what = element.TryGetProperty(name, out var present) ? $"is {Describe(present.ValueKind)}, not an array" : "is missing";
        problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.MissingField, $"The field '{name}' {what}."));
        return null;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };
}
