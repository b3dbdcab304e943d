using Hanlin.Core.Errors;
using Hanlin.Core.Identity;
using Hanlin.Core.Storage;
using Hanlin.Ingestion.Pipeline;
using Hanlin.Ingestion.Sniffing;
using Hanlin.Server.Contracts;
using Hanlin.Server.Hosting;
using Hanlin.Server.Security;
using Hanlin.Server.Uploads;
using Hanlin.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Hanlin.Server.Endpoints;

/// <summary>
/// <c>POST /api/collections/{collection}/documents</c>: a multipart upload of one or more files. The files are
/// written to the data directory's scratch folder and checked (name, size, a format Hanlin reads); then a job is
/// queued and its id returned at once (202). Ingestion runs in the background queue.
/// </summary>
internal static class UploadEndpoints
{
    public static RouteGroupBuilder MapUploadEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/collections/{collection}/documents", UploadAsync)
            .WithTags("Documents")
            .WithSummary("Upload files (multipart/form-data, any field name) to ingest into the collection; returns a job.")
            .WithMetadata(UploadEndpointMetadata.Instance, new RequiredRole(ApiRole.Write))
            .DisableAntiforgery()
            .Accepts<IFormFileCollection>("multipart/form-data");
        return api;
    }

    private static async Task<Accepted<UploadAcceptedResponse>> UploadAsync(
        string collection,
        ApiCaller caller,
        HttpRequest request,
        IKnowledgeStore store,
        UploadQueue queue,
        ContentSniffer sniffer,
        ExtractorRegistry extractors,
        HanlinDataDirectory data,
        IOptions<ServerOptions> serverOptions,
        IOptions<IngestionOptions> ingestionOptions,
        CancellationToken cancellationToken)
    {
        var target = caller.Demand(await CollectionsEndpoints.RequireAsync(store, collection, cancellationToken).ConfigureAwait(false));
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            throw new HanlinException(ErrorCodes.UnsupportedMediaType, $"Uploads must be multipart/form-data, not '{request.ContentType}'.");
        }

        var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        if (form.Files.Count == 0)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "The upload contains no files.");
        }

        if (form.Files.Count > serverOptions.Value.MaxUploadFiles)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The upload contains {form.Files.Count} files; the limit is {serverOptions.Value.MaxUploadFiles}.");
        }

        var jobId = HanlinId.New("upl");
        var work = Path.Combine(data.TempPath, "uploads", jobId);
        try
        {
            var sources = await SaveAsync(form.Files, work, sniffer, extractors, ingestionOptions.Value.Limits.MaxFileBytes, cancellationToken).ConfigureAwait(false);
            var job = queue.Enqueue(new UploadJob(jobId, target.Name, work, sources, DateTimeOffset.UtcNow));
            var statusUrl = $"/api/jobs/{job.Id}";
            return TypedResults.Accepted(statusUrl, new UploadAcceptedResponse(job.Id, target.Name, [.. sources.Select(s => s.SourceName)], statusUrl));
        }
        catch
        {
            TryDelete(work);
            throw;
        }
    }

    private static async Task<IReadOnlyList<IngestionSource>> SaveAsync(
        IFormFileCollection files, string work, ContentSniffer sniffer, ExtractorRegistry extractors, long maxFileBytes, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sources = new List<IngestionSource>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];

            // Browsers send a bare name, tools may send a relative path: both become the document's source name.
            var name = SourceName.Validate(file.FileName);
            if (!names.Add(name))
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"'{name}' appears twice in the upload.");
            }

            if (file.Length > maxFileBytes)
            {
                throw new HanlinException(ErrorCodes.FileTooLarge, $"'{name}' is {file.Length:N0} bytes; the limit is {maxFileBytes:N0}.");
            }

            // One folder per file keeps the original name without collisions between nested names.
            var path = Path.Combine(work, i.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.GetFileName(name));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await file.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
                stream.Position = 0;
                RejectUnsupported(sniffer, extractors, stream, name);
            }

            sources.Add(new IngestionSource(path, name));
        }

        return sources;
    }

    /// <summary>
    /// A format Hanlin cannot read rejects the whole upload (415) before a job exists; other file problems
    /// (empty, corrupt, encrypted) are the job's per-file results, as for the CLI.
    /// </summary>
    private static void RejectUnsupported(ContentSniffer sniffer, ExtractorRegistry extractors, Stream content, string name)
    {
        try
        {
            var sniffed = sniffer.Sniff(content, name);
            extractors.Get(sniffed.MediaType, name);
        }
        catch (HanlinException ex) when (ex.Code is ErrorCodes.UnsupportedMediaType or ErrorCodes.BinaryContent)
        {
            throw new HanlinException(ErrorCodes.UnsupportedMediaType, ex.Message, ex);
        }
        catch (HanlinException)
        {
            // Recorded by the job as that file's failure.
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover scratch folder is harmless.
        }
    }
}
