using Hanlin.Core.Errors;
using Hanlin.Core.Ingestion;
using Hanlin.Core.Storage;
using Hanlin.Server.Contracts;
using Hanlin.Server.Security;
using Hanlin.Server.Uploads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hanlin.Server.Endpoints;

/// <summary>
/// <c>/api/jobs/{id}</c>: the status and per-file results of an upload job (queued, running, finished), or of an
/// ingestion job recorded in storage (for example one run by the CLI).
/// </summary>
internal static class JobsEndpoints
{
    public static RouteGroupBuilder MapJobsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/jobs/{id}", GetAsync).WithTags("Jobs").WithSummary("Status and per-file results of an ingestion job.");
        return api;
    }

    private static async Task<Ok<JobResponse>> GetAsync(string id, ApiCaller caller, UploadQueue queue, IKnowledgeStore store, CancellationToken cancellationToken)
    {
        if (queue.Find(id) is { } upload)
        {
            await caller.DemandAsync(store, upload.Collection, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(upload.Snapshot());
        }

        var job = await store.GetJobAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new HanlinException(ErrorCodes.JobNotFound, $"There is no job '{id}'.");
        await caller.DemandAsync(store, job.CollectionId, cancellationToken).ConfigureAwait(false);
        var files = await store.GetFileResultsAsync(id, cancellationToken).ConfigureAwait(false);
        var collection = await store.GetCollectionAsync(job.CollectionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JobResponse(
            job.Id,
            collection?.Name,
            ContractMapper.Name<IngestionJobStatus>(job.Status),
            job.TotalFiles,
            job.DoneFiles,
            job.CurrentFile,
            job.Id,
            job.CreatedAt,
            job.FinishedAt,
            [.. files.Select(f => f.ToResponse())]));
    }
}
