using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Training.Reports;

/// <summary>Reads a training run's <c>metrics.jsonl</c> (see <see cref="TrainingMetricsRecord"/>).</summary>
public static class TrainingMetricsLog
{
    /// <summary>The file name a run directory holds its metrics in.</summary>
    public const string FileName = "metrics.jsonl";

    /// <summary>
    /// Reads the records of <paramref name="path"/>: a <c>metrics.jsonl</c> file or a run directory holding one.
    /// Blank lines are skipped; a truncated last line (a run killed mid-write) is ignored.
    /// </summary>
    /// <exception cref="HanlinException"><c>file_not_found</c> when there is no metrics file; <c>corrupt_file</c> naming the first bad line.</exception>
    public static async Task<IReadOnlyList<TrainingMetricsRecord>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The training metrics file '{file}' does not exist.");
        }

        var lines = await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false);
        var records = new List<TrainingMetricsRecord>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                records.Add(JsonSerializer.Deserialize<TrainingMetricsRecord>(lines[i])
                    ?? throw new JsonException("the line is null"));
            }
            catch (JsonException ex) when (i == lines.Length - 1 && !lines[i].TrimEnd().EndsWith('}'))
            {
                // A writer killed mid-line leaves a partial last line; the records before it are complete.
                _ = ex;
            }
            catch (JsonException ex)
            {
                throw new HanlinException(ErrorCodes.CorruptFile, $"Line {i + 1} of '{file}' is not a metrics record: {ex.Message}", ex);
            }
        }

        return records;
    }
}
