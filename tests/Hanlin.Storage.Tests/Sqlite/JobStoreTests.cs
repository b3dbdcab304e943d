using Hanlin.Core.Errors;
using Hanlin.Core.Ingestion;
using static Hanlin.Storage.Tests.Sqlite.StoreSandbox;

namespace Hanlin.Storage.Tests.Sqlite;

public sealed class JobStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_job_records_progress_and_finishes()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();

        var created = await sandbox.Store.CreateJobAsync(collection.Id, totalFiles: 3, totalBytes: 3000, Ct);
        await sandbox.Store.UpdateJobProgressAsync(created.Id, 2, 2000, "docs/c.pdf", Ct);
        var running = await sandbox.Store.GetJobAsync(created.Id, Ct);
        var finished = await sandbox.Store.FinishJobAsync(created.Id, IngestionJobStatus.PartiallyFailed, Ct);

        Assert.Equal(IngestionJobStatus.Running, created.Status);
        Assert.StartsWith("job_", created.Id, StringComparison.Ordinal);
        Assert.Equal((2, 2000L, "docs/c.pdf", (DateTimeOffset?)null), (running!.DoneFiles, running.DoneBytes, running.CurrentFile, running.FinishedAt));
        Assert.Equal(IngestionJobStatus.PartiallyFailed, finished.Status);
        Assert.NotNull(finished.FinishedAt);
        Assert.Null(finished.CurrentFile);
        Assert.Equal((3, 3000L, created.CreatedAt), (finished.TotalFiles, finished.TotalBytes, finished.CreatedAt));
        Assert.Equal(finished, await sandbox.Store.GetJobAsync(created.Id, Ct));
    }

    [Fact]
    public async Task File_results_round_trip_in_order_with_dropped_chunks_and_ocr_pages()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var job = await sandbox.Store.CreateJobAsync(collection.Id, 2, 100, Ct);
        var ingested = new FileResult(
            "scans/报告.pdf", FileOutcome.Ingested, "doc_1", 2, "application/pdf", 90, 12,
            [new DroppedChunk(4, "重复的段落 \"quoted\"", "chk_9", 2), new DroppedChunk(7, "x", "chk_8", 0)],
            [1, 5],
            null,
            null);
        var failed = new FileResult("bad.docx", FileOutcome.Failed, null, null, null, 10, 0, [], [], ErrorCodes.CorruptFile, "bad.docx is not a zip archive");

        await sandbox.Store.AddFileResultAsync(job.Id, ingested, Ct);
        await sandbox.Store.AddFileResultAsync(job.Id, failed, Ct);
        var results = await sandbox.Store.GetFileResultsAsync(job.Id, Ct);

        Assert.Equal(2, results.Count);
        Assert.Equal(ingested with { DroppedChunks = [], PagesNeedingOcr = [] }, results[0] with { DroppedChunks = [], PagesNeedingOcr = [] });
        Assert.Equal(ingested.DroppedChunks, results[0].DroppedChunks);
        Assert.Equal(ingested.PagesNeedingOcr, results[0].PagesNeedingOcr);
        Assert.Equal(failed with { DroppedChunks = [], PagesNeedingOcr = [] }, results[1] with { DroppedChunks = [], PagesNeedingOcr = [] });
        Assert.Empty(results[1].DroppedChunks);
        Assert.Empty(await sandbox.Store.GetFileResultsAsync("job_missing", Ct));
    }

    [Fact]
    public async Task A_job_left_running_by_a_dead_process_is_interrupted_on_the_next_start()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var orphan = await sandbox.Store.CreateJobAsync(collection.Id, 5, 500, Ct);
        await sandbox.Store.UpdateJobProgressAsync(orphan.Id, 1, 100, "b.txt", Ct);
        var done = await sandbox.Store.FinishJobAsync((await sandbox.Store.CreateJobAsync(collection.Id, 1, 1, Ct)).Id, IngestionJobStatus.Succeeded, Ct);
        var live = await sandbox.Store.CreateJobAsync(collection.Id, 2, 2, Ct);
        using (var raw = sandbox.OpenRawConnection())
        using (var kill = raw.CreateCommand())
        {
            // The orphan's owner: this host, a pid that is not running with that start time.
            kill.CommandText = "UPDATE ingestion_jobs SET owner = $owner WHERE id = $id";
            kill.Parameters.AddWithValue("$owner", $"{Environment.MachineName}/{int.MaxValue}/1");
            kill.Parameters.AddWithValue("$id", orphan.Id);
            Assert.Equal(1, kill.ExecuteNonQuery());
        }

        await sandbox.ReopenAsync();

        // The job of this (live) process is left running: a second process opening the store must not steal it.
        Assert.Equal(IngestionJobStatus.Running, (await sandbox.Store.GetJobAsync(live.Id, Ct))!.Status);

        var interrupted = await sandbox.Store.GetJobAsync(orphan.Id, Ct);
        Assert.Equal(IngestionJobStatus.Interrupted, interrupted!.Status);
        Assert.NotNull(interrupted.FinishedAt);
        Assert.Equal((1, 100L), (interrupted.DoneFiles, interrupted.DoneBytes));
        Assert.Equal(done, await sandbox.Store.GetJobAsync(done.Id, Ct));
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first_per_collection_up_to_the_limit()
    {
        await using var sandbox = await CreateAsync();
        var a = await sandbox.CollectionAsync("a");
        var b = await sandbox.CollectionAsync("b");
        var first = await sandbox.Store.CreateJobAsync(a.Id, 1, 1, Ct);
        var second = await sandbox.Store.CreateJobAsync(a.Id, 1, 1, Ct);
        var third = await sandbox.Store.CreateJobAsync(a.Id, 1, 1, Ct);
        var other = await sandbox.Store.CreateJobAsync(b.Id, 1, 1, Ct);

        Assert.Equal([third.Id, second.Id], (await sandbox.Store.ListJobsAsync(a.Id, 2, Ct)).Select(j => j.Id));
        Assert.Equal([other.Id], (await sandbox.Store.ListJobsAsync(b.Id, 10, Ct)).Select(j => j.Id));
        Assert.Equal([other.Id, third.Id, second.Id, first.Id], (await sandbox.Store.ListJobsAsync(null, 10, Ct)).Select(j => j.Id));
    }

    [Fact]
    public async Task Operations_on_missing_jobs_or_collections_fail_with_stable_codes()
    {
        await using var sandbox = await CreateAsync();
        var collection = await sandbox.CollectionAsync();
        var job = await sandbox.Store.CreateJobAsync(collection.Id, 1, 1, Ct);

        var noCollection = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.CreateJobAsync("col_missing", 1, 1, Ct));
        var noJobProgress = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.UpdateJobProgressAsync("job_missing", 1, 1, null, Ct));
        var noJobResult = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.AddFileResultAsync(
            "job_missing", new FileResult("a", FileOutcome.Unchanged, null, null, null, 0, 0, [], [], null, null), Ct));
        var noJobFinish = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.FinishJobAsync("job_missing", IngestionJobStatus.Failed, Ct));
        var stillRunning = await Assert.ThrowsAsync<HanlinException>(() => sandbox.Store.FinishJobAsync(job.Id, IngestionJobStatus.Running, Ct));

        Assert.Equal(ErrorCodes.CollectionNotFound, noCollection.Code);
        Assert.Equal(
            [ErrorCodes.JobNotFound, ErrorCodes.JobNotFound, ErrorCodes.JobNotFound, ErrorCodes.InvalidArgument],
            new[] { noJobProgress, noJobResult, noJobFinish, stillRunning }.Select(e => e.Code));
        Assert.Null(await sandbox.Store.GetJobAsync("job_missing", Ct));
    }
}
