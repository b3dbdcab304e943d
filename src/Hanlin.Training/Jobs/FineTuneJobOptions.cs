using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Hanlin.Core.Errors;
using Hanlin.Training.FineTuning;

namespace Hanlin.Training.Jobs;

/// <summary>
/// Turns a job's hyperparameters (a JSON object: Hanlin's snake_case <see cref="FineTuneOptions"/> fields, plus OpenAI's
/// <c>n_epochs</c>, <c>batch_size</c> and <c>learning_rate_multiplier</c>, each of which may be <c>"auto"</c>) into
/// validated options. Unknown fields are refused by name, so a typo never silently trains with a default.
/// </summary>
public static class FineTuneJobOptions
{
    /// <summary>The serializer settings of job options (snake_case names and enum values; unknown fields refused).</summary>
    public static JsonSerializerOptions Serializer { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    /// <summary>Options from <paramref name="hyperparametersJson"/>, with <paramref name="seed"/> as the run's seed.</summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> naming the unknown or invalid field.</exception>
    public static FineTuneOptions Parse(string hyperparametersJson, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(hyperparametersJson);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(hyperparametersJson) as JsonObject
                ?? throw new HanlinException(ErrorCodes.InvalidArgument, "The hyperparameters must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The hyperparameters are not valid JSON: {ex.Message}", ex);
        }

        double? multiplier = null;
        foreach (var (openAi, hanlin) in new[] { ("n_epochs", "epochs"), ("batch_size", "batch_size"), ("learning_rate_multiplier", (string?)null) })
        {
            if (!root.TryGetPropertyValue(openAi, out var value))
            {
                continue;
            }

            root.Remove(openAi);
            if (value is JsonValue auto && auto.TryGetValue<string>(out var text) && text == "auto")
            {
                continue; // OpenAI's "choose for me": Hanlin's defaults
            }

            if (hanlin is null)
            {
                multiplier = value is JsonValue number && number.TryGetValue<double>(out var m) && m > 0
                    ? m
                    : throw new HanlinException(ErrorCodes.InvalidArgument, "learning_rate_multiplier must be a positive number or \"auto\".");
            }
            else
            {
                root[hanlin] = value;
            }
        }

        FineTuneOptions options;
        try
        {
            options = root.Deserialize<FineTuneOptions>(Serializer) ?? new FineTuneOptions();
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The hyperparameters are not valid fine-tuning options ({ex.Path}): {ex.Message}", ex);
        }

        if (multiplier is { } factor)
        {
            options = options with { LearningRate = options.LearningRate * factor };
        }

        if (seed is { } s)
        {
            options = options with { Seed = (int)(s & int.MaxValue) };
        }

        options.ThrowIfInvalid();
        return options;
    }

    /// <summary>The options as the snake_case JSON object that <see cref="Parse"/> reads back.</summary>
    public static string ToJson(FineTuneOptions options) => JsonSerializer.Serialize(options, Serializer);
}
