using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Server.Hosting;
using Hanlin.Server.Security;
using Hanlin.Training.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Hanlin.Server.FineTuning;

/// <summary>
/// OpenAI-shaped fine-tuning: <c>/v1/files</c> (purpose <c>fine-tune</c>) and <c>/v1/fine_tuning/jobs</c> with cancel,
/// events and checkpoints. Jobs are stored in <see cref="FineTuneStore"/> and trained by <see cref="FineTuningJobService"/>.
/// </summary>
internal static class FineTuningEndpoints
{
    private const string Tag = "Fine-tuning";

    // Uploading training data and starting or stopping training change what the server holds and serves.
    private static readonly RequiredRole Writers = new(ApiRole.Write);

    public static RouteGroupBuilder MapFineTuningEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/files", UploadAsync)
            .WithTags(Tag).WithSummary("Upload a training or validation file (multipart: 'file' and purpose 'fine-tune').")
            .WithMetadata(UploadEndpointMetadata.Instance, Writers)
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data");
        v1.MapGet("/files", ListFilesAsync).WithTags(Tag).WithSummary("Uploaded files, newest first.");
        v1.MapGet("/files/{id}", GetFileAsync).WithTags(Tag).WithSummary("One uploaded file.");
        v1.MapGet("/files/{id}/content", GetFileContentAsync).WithTags(Tag).WithSummary("The content of an uploaded file.");
        v1.MapDelete("/files/{id}", DeleteFileAsync).WithTags(Tag).WithSummary("Delete an uploaded file no job uses.").WithMetadata(Writers);
        v1.MapPost("/fine_tuning/jobs", CreateJobAsync).WithTags(Tag).WithSummary("Create a LoRA fine-tuning job.").WithMetadata(Writers);
        v1.MapGet("/fine_tuning/jobs", ListJobsAsync).WithTags(Tag).WithSummary("Jobs, newest first; page with 'after' and 'limit'.");
        v1.MapGet("/fine_tuning/jobs/{id}", GetJobAsync).WithTags(Tag).WithSummary("One job.");
        v1.MapPost("/fine_tuning/jobs/{id}/cancel", CancelJobAsync).WithTags(Tag).WithSummary("Cancel a job that has not finished.").WithMetadata(Writers);
        v1.MapGet("/fine_tuning/jobs/{id}/events", ListEventsAsync).WithTags(Tag).WithSummary("A job's events, newest first.");
        v1.MapGet("/fine_tuning/jobs/{id}/checkpoints", ListCheckpointsAsync).WithTags(Tag).WithSummary("A job's checkpoints, newest first.");
        return v1;
    }

    private static async Task<Ok<FileObjectResponse>> UploadAsync(HttpRequest request, FineTuneStore store, IOptions<ServerOptions> options, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new HanlinException(ErrorCodes.UnsupportedMediaType, $"Files are uploaded as multipart/form-data, not '{request.ContentType}'.");
        }

        var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var file = form.Files.GetFile("file") ?? throw new HanlinException(ErrorCodes.InvalidArgument, "The upload has no 'file' part.");
        var purpose = form["purpose"].ToString();
        if (string.IsNullOrEmpty(purpose))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "The upload has no 'purpose'; use 'fine-tune'.");
        }

        var content = file.OpenReadStream();
        await using (content.ConfigureAwait(false))
        {
            var stored = await store.AddFileAsync(content, file.FileName, purpose, options.Value.MaxUploadBytes, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(ToResponse(stored));
        }
    }

    private static async Task<Ok<OpenAiList<FileObjectResponse>>> ListFilesAsync(FineTuneStore store, CancellationToken cancellationToken)
    {
        var files = await store.ListFilesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new OpenAiList<FileObjectResponse>("list", [.. files.Select(ToResponse)], false));
    }

    private static async Task<Ok<FileObjectResponse>> GetFileAsync(string id, FineTuneStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToResponse(await store.GetFileAsync(id, cancellationToken).ConfigureAwait(false)));

    private static async Task<FileStreamHttpResult> GetFileContentAsync(string id, FineTuneStore store, CancellationToken cancellationToken)
    {
        var file = await store.GetFileAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.File(File.OpenRead(file.Path), "application/octet-stream", file.FileName);
    }

    private static async Task<Ok<FileDeletedResponse>> DeleteFileAsync(string id, FineTuneStore store, CancellationToken cancellationToken)
    {
        await store.DeleteFileAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new FileDeletedResponse(id, "file", true));
    }

    private static async Task<Ok<FineTuningJobResponse>> CreateJobAsync(
        CreateFineTuningJobRequest body, FineTuneStore store, FineTuningJobService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrWhiteSpace(body.TrainingFile))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "A fine-tuning job needs a 'training_file'.");
        }

        var job = await store.CreateJobAsync(
            new FineTuneJobRequest(body.Model ?? string.Empty, body.TrainingFile, body.ValidationFile, body.Suffix, body.Seed, Hyperparameters(body)),
            cancellationToken).ConfigureAwait(false);
        service.Wake();
        return TypedResults.Ok(ToResponse(job));
    }

    private static async Task<Ok<OpenAiList<FineTuningJobResponse>>> ListJobsAsync(FineTuneStore store, string? after, int? limit, CancellationToken cancellationToken)
    {
        var page = await store.ListJobsAsync(after, limit ?? 20, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new OpenAiList<FineTuningJobResponse>("list", [.. page.Items.Select(ToResponse)], page.HasMore));
    }

    private static async Task<Ok<FineTuningJobResponse>> GetJobAsync(string id, FineTuneStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToResponse(await store.GetJobAsync(id, cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<FineTuningJobResponse>> CancelJobAsync(string id, FineTuneStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToResponse(await store.CancelAsync(id, cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<OpenAiList<FineTuningEventResponse>>> ListEventsAsync(
        string id, FineTuneStore store, string? after, int? limit, CancellationToken cancellationToken)
    {
        var page = await store.ListEventsAsync(id, after, limit ?? 20, cancellationToken).ConfigureAwait(false);
        var events = page.Items.Select(e => new FineTuningEventResponse(
            e.Id, "fine_tuning.job.event", e.CreatedAt.ToUnixTimeSeconds(), e.Level, e.Message, e.DataJson is null ? null : Parse(e.DataJson), e.Type));
        return TypedResults.Ok(new OpenAiList<FineTuningEventResponse>("list", [.. events], page.HasMore));
    }

    private static async Task<Ok<OpenAiList<FineTuningCheckpointResponse>>> ListCheckpointsAsync(
        string id, FineTuneStore store, string? after, int? limit, CancellationToken cancellationToken)
    {
        var job = await store.GetJobAsync(id, cancellationToken).ConfigureAwait(false);
        var page = await store.ListCheckpointsAsync(id, after, limit ?? 10, cancellationToken).ConfigureAwait(false);
        var checkpoints = page.Items.Select(c => new FineTuningCheckpointResponse(
            c.Id, "fine_tuning.job.checkpoint", c.CreatedAt.ToUnixTimeSeconds(),
            $"{job.FineTunedModel ?? $"ft:{job.Model}:{job.Suffix}:{job.Id}"}:ckpt-step-{c.Step}", c.Step, Parse(c.MetricsJson), c.JobId));
        return TypedResults.Ok(new OpenAiList<FineTuningCheckpointResponse>("list", [.. checkpoints], page.HasMore));
    }

    // The two places OpenAI clients put hyperparameters, merged; method's wins where both name a field.
    private static string? Hyperparameters(CreateFineTuningJobRequest body)
    {
        var merged = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        void Add(JsonElement? element, string where)
        {
            if (element is not { } value || value.ValueKind == JsonValueKind.Null)
            {
                return;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"'{where}' must be a JSON object.");
            }

            foreach (var property in value.EnumerateObject())
            {
                merged[property.Name] = property.Value.Clone();
            }
        }

        Add(body.Hyperparameters, "hyperparameters");
        if (body.Method is { ValueKind: JsonValueKind.Object } method)
        {
            if (method.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() != "supervised")
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"Fine-tuning method '{type.GetString()}' is not supported; Hanlin trains 'supervised' (LoRA).");
            }

            if (method.TryGetProperty("supervised", out var supervised) && supervised.ValueKind == JsonValueKind.Object
                && supervised.TryGetProperty("hyperparameters", out var nested))
            {
                Add(nested, "method.supervised.hyperparameters");
            }
        }

        return merged.Count == 0 ? null : JsonSerializer.Serialize(merged);
    }

    private static FileObjectResponse ToResponse(FineTuneFile file) =>
        new(file.Id, "file", file.Bytes, file.CreatedAt.ToUnixTimeSeconds(), file.FileName, file.Purpose, "processed");

    private static FineTuningJobResponse ToResponse(FineTuneJob job)
    {
        var hyperparameters = Parse(job.HyperparametersJson);
        return new FineTuningJobResponse(
            job.Id,
            "fine_tuning.job",
            job.CreatedAt.ToUnixTimeSeconds(),
            job.FinishedAt?.ToUnixTimeSeconds(),
            job.Model,
            job.FineTunedModel,
            "org-hanlin",
            [],
            FineTuneStore.StatusName(job.Status),
            job.ValidationFileId,
            job.TrainingFileId,
            hyperparameters,
            job.TrainedTokens,
            job.ErrorCode is null ? null : new FineTuningErrorBody(job.ErrorCode, job.ErrorMessage ?? job.ErrorCode, null),
            job.Seed,
            job.Suffix,
            null,
            [],
            new FineTuningMethodBody("supervised", new FineTuningSupervisedBody(hyperparameters)));
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
