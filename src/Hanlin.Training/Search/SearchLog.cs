using System.Text.Json;
using System.Text.Json.Serialization;
using Hanlin.Core.Errors;

namespace Hanlin.Training.Search;

/// <summary>
/// The JSON file a search records its trials to: which search it is (strategy, seed, goal, metric, space) and every
/// trial so far. Rewritten whole after each trial, through a temporary file moved over the old one, so a search
/// killed at any moment leaves the previous complete log.
/// </summary>
/// <param name="Strategy">The proposal strategy.</param>
/// <param name="Seed">The proposal seed.</param>
/// <param name="Goal">Minimise or maximise.</param>
/// <param name="MetricName">The metric's name.</param>
/// <param name="Space"><see cref="SearchSpace.Describe"/> of the space searched.</param>
/// <param name="Trials">The recorded trials in order.</param>
public sealed record SearchLog(SearchStrategy Strategy, int Seed, MetricGoal Goal, string MetricName, string Space, IReadOnlyList<TrialRecord> Trials)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Reads the log at <paramref name="path"/>, or null when there is none.</summary>
    /// <exception cref="HanlinException"><c>corrupt_file</c> when the file is not a search log.</exception>
    public static async Task<SearchLog?> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync<SearchLog>(stream, JsonOptions, cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException("the document is null");
            }
        }
        catch (JsonException ex)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"The search log '{path}' is not a valid search log: {ex.Message}", ex);
        }
    }

    /// <summary>Writes this log to <paramref name="path"/>, replacing it atomically.</summary>
    /// <exception cref="HanlinException"><c>unreadable_file</c> when the file cannot be written.</exception>
    public async Task WriteAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(this, JsonOptions), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new HanlinException(ErrorCodes.UnreadableFile, $"The search log '{path}' cannot be written: {ex.Message}", ex);
        }
    }
}
