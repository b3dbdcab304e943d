using Hanlin.Training.Datasets;
using Hanlin.Training.Registry;

namespace Hanlin.Cli.Output;

/// <summary>The <c>--json</c> shapes of the <c>finetune</c> and <c>models</c> commands, apart from the domain records.</summary>
internal static class TrainingViews
{
    public static object Of(DatasetProblem p) => new { Line = p.LineNumber, p.Kind, p.Message };

    public static object Of(RemovedExample r) => new { Line = r.LineNumber, r.Reason, DuplicateOfLine = r.DuplicateOfLine, r.Detail };

    public static object Of(TokenStatistics s) => new { s.Examples, s.TotalTokens, s.Mean, s.Median, s.P95, s.Min, s.Max };

    public static object Of(ModelEntry m) => new
    {
        m.Id,
        m.Name,
        m.Version,
        m.Kind,
        m.Status,
        m.Directory,
        m.BaseModelId,
        m.DatasetSha256,
        Hyperparameters = Json(m.HyperparametersJson),
        Metrics = Json(m.MetricsJson),
        m.JobId,
        m.CreatedAt,
        m.SizeBytes,
        Files = m.Files.Select(f => new { f.Path, f.Sha256, f.SizeBytes }),
    };

    public static object Of(ModelFileProblem p) => new
    {
        p.Path,
        p.Kind,
        ExpectedSha256 = p.Expected?.Sha256,
        ExpectedSizeBytes = p.Expected?.SizeBytes,
        ActualSha256 = string.IsNullOrEmpty(p.Actual?.Sha256) ? null : p.Actual.Sha256,
        ActualSizeBytes = p.Actual?.SizeBytes,
        Message = p.ToString(),
    };

    // Stored JSON is re-emitted as JSON, not as an escaped string.
    private static System.Text.Json.JsonElement? Json(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
