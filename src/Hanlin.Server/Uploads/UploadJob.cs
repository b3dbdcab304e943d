using Hanlin.Core.Ingestion;
using Hanlin.Ingestion.Pipeline;
using Hanlin.Server.Contracts;

namespace Hanlin.Server.Uploads;

/// <summary>
/// The live state of one upload's ingestion: queued, then running with progress, then the finished job's
/// status and per-file results. Updated by the queue's worker, read by request threads.
/// </summary>
internal sealed class UploadJob : IProgress<IngestionProgress>
{
    private readonly Lock _gate = new();
    private string _status = "queued";
    private int _doneFiles;
    private string? _currentFile;
    private string? _ingestionJobId;
    private DateTimeOffset? _finishedAt;
    private IReadOnlyList<FileResultResponse> _files = [];

    public UploadJob(string id, string collection, string workDirectory, IReadOnlyList<IngestionSource> sources, DateTimeOffset createdAt)
    {
        Id = id;
        Collection = collection;
        WorkDirectory = workDirectory;
        Sources = sources;
        CreatedAt = createdAt;
    }

    public string Id { get; }

    public string Collection { get; }

    /// <summary>Folder holding the uploaded files until the job finishes.</summary>
    public string WorkDirectory { get; }

    public IReadOnlyList<IngestionSource> Sources { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>Completes when the job finished (whatever its outcome).</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Progress from the runner, reported on the worker's thread.</summary>
    public void Report(IngestionProgress progress)
    {
        lock (_gate)
        {
            _status = "running";
            _doneFiles = progress.DoneFiles;
            _currentFile = progress.CurrentFile;
        }
    }

    public void Complete(IngestionJobResult result)
    {
        lock (_gate)
        {
            _status = ContractMapper.Name(result.Job.Status);
            _doneFiles = result.Files.Count;
            _currentFile = null;
            _ingestionJobId = result.Job.Id;
            _finishedAt = result.Job.FinishedAt ?? DateTimeOffset.UtcNow;
            _files = [.. result.Files.Select(f => f.ToResponse())];
        }

        Finished.TrySetResult();
    }

    public void Fail(IngestionJobStatus status, string code, string message)
    {
        lock (_gate)
        {
            _status = ContractMapper.Name(status);
            _currentFile = null;
            _finishedAt = DateTimeOffset.UtcNow;
            _files = [.. Sources.Select(s => new FileResultResponse(s.SourceName, "failed", null, null, null, 0, 0, 0, [], code, message))];
        }

        Finished.TrySetResult();
    }

    public JobResponse Snapshot()
    {
        lock (_gate)
        {
            return new JobResponse(Id, Collection, _status, Sources.Count, _doneFiles, _currentFile, _ingestionJobId, CreatedAt, _finishedAt, _files);
        }
    }
}
