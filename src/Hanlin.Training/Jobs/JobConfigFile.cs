using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hanlin.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hanlin.Training.Jobs;

/// <summary>
/// Reads a fine-tuning job file (<c>--config job.yaml</c> or <c>job.json</c>) into a JSON object, so YAML and JSON
/// bind to the same snake_case options. YAML scalars become numbers or booleans where they read as such.
/// </summary>
public static class JobConfigFile
{
    /// <summary>The file's content as a JSON object text.</summary>
    /// <exception cref="HanlinException"><c>file_not_found</c>; <c>invalid_argument</c> for syntax errors (with the line) or a non-object root.</exception>
    public static async Task<string> ReadAsJsonAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The job file '{path}' does not exist.");
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        var extension = Path.GetExtension(path).ToUpperInvariant();
        JsonNode? root;
        try
        {
            root = extension is ".YAML" or ".YML" ? FromYaml(text) : JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The job file '{path}' is not valid JSON: {ex.Message}", ex);
        }
        catch (YamlException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The job file '{path}' is not valid YAML (line {ex.Start.Line}): {ex.Message}", ex);
        }

        return root is JsonObject obj
            ? obj.ToJsonString()
            : throw new HanlinException(ErrorCodes.InvalidArgument, $"The job file '{path}' must hold a mapping of options at its top level.");
    }

    private static JsonNode? FromYaml(string text)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }

        return stream.Documents.Count == 0 ? new JsonObject() : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? string.Empty, Convert(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            return JsonValue.Create(value);
        }

        if (value is "" or "~" or "null")
        {
            return null;
        }

        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }

        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);
    }
}
