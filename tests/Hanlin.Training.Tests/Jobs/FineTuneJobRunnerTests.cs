using System.Text;
using Hanlin.Core.Errors;
using Hanlin.Training.Jobs;

namespace Hanlin.Training.Tests.Jobs;

public sealed class FineTuneJobRunnerTests
{
    private const string ChatLines = """
        {"messages":[{"role":"user","content":"What is the adult dose of aspirin for pain?"},{"role":"assistant","content":"300 to 1000 mg every 4 to 6 hours."}]}
        {"messages":[{"role":"user","content":"What is 市盈率?"},{"role":"assistant","content":"The price-to-earnings ratio."}]}
        """;

    private static async Task<(FineTuneStore Store, FineTuneFile File)> StoreWithFileAsync(TempDirectory dir, string content = ChatLines)
    {
        var store = FineTuneStore.ForDataDirectory(dir.File("data"));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        var file = await store.AddFileAsync(stream, "train.jsonl", FineTuneStore.FineTunePurpose, 1 << 20, TestContext.Current.CancellationToken);
        return (store, file);
    }

    [Fact]
    public async Task Uploaded_files_are_stored_with_their_sha256_and_only_fine_tune_files_are_accepted()
    {
        using var dir = new TempDirectory();
        var (store, file) = await StoreWithFileAsync(dir);

        Assert.Equal(Encoding.UTF8.GetByteCount(ChatLines), file.Bytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ChatLines))), file.Sha256);
        Assert.Equal(ChatLines, await File.ReadAllTextAsync(file.Path, TestContext.Current.CancellationToken));
        Assert.Equal(file, await store.GetFileAsync(file.Id, TestContext.Current.CancellationToken));

        using var other = new MemoryStream([1, 2, 3]);
        var wrongPurpose = await Assert.ThrowsAsync<HanlinException>(() => store.AddFileAsync(other, "x.jsonl", "assistants", 1 << 20, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.InvalidArgument, wrongPurpose.Code);
        using var big = new MemoryStream(new byte[2048]);
        var tooLarge = await Assert.ThrowsAsync<HanlinException>(() => store.AddFileAsync(big, "big.jsonl", FineTuneStore.FineTunePurpose, 1024, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.FileTooLarge, tooLarge.Code);
        Assert.Single(await store.ListFilesAsync(TestContext.Current.CancellationToken));
        Assert.Single(Directory.GetFiles(store.FilesDirectory)); // the refused upload left no partial file
    }

    [Fact]
    public async Task A_valid_job_goes_through_validating_queued_running_to_succeeded_with_events_and_checkpoints()
    {
        using var dir = new TempDirectory();
        var (store, file) = await StoreWithFileAsync(dir);
        var job = await store.CreateJobAsync(new FineTuneJobRequest("stories260K", file.Id, Suffix: "pharma", Seed: 7), TestContext.Current.CancellationToken);
        Assert.Equal(FineTuneJobStatus.ValidatingFiles, job.Status);
        var executor = new RecordingExecutor();

        var processed = await new FineTuneJobRunner(store, executor).RunPendingAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, processed);
        var done = await store.GetJobAsync(job.Id, TestContext.Current.CancellationToken);
        Assert.Equal(FineTuneJobStatus.Succeeded, done.Status);
        Assert.Equal("ft:stories260K:pharma", done.FineTunedModel);
        Assert.Equal(123, done.TrainedTokens);
        Assert.NotNull(done.StartedAt);
        Assert.NotNull(done.FinishedAt);
        Assert.Equal(FineTuneJobStatus.Running, executor.SeenStatus);
        Assert.True(Directory.Exists(executor.SeenRunDirectory));

        var events = (await store.ListEventsAsync(job.Id, limit: 100, cancellationToken: TestContext.Current.CancellationToken)).Items.Reverse().ToList();
        Assert.StartsWith("Created fine-tuning job", events[0].Message, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Message.Contains("2 usable examples", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "metrics" && e.DataJson!.Contains("\"train_loss\":1.5", StringComparison.Ordinal));
        Assert.Contains("succeeded", events[^1].Message, StringComparison.Ordinal);
        var checkpoint = Assert.Single((await store.ListCheckpointsAsync(job.Id, cancellationToken: TestContext.Current.CancellationToken)).Items);
        Assert.Equal(10, checkpoint.Step);
    }

    [Fact]
    public async Task A_training_file_without_usable_examples_fails_validation_and_is_never_trained()
    {
        using var dir = new TempDirectory();
        var (store, file) = await StoreWithFileAsync(dir, "{\"messages\": 3}\nnot json\n");
        var job = await store.CreateJobAsync(new FineTuneJobRequest("base", file.Id), TestContext.Current.CancellationToken);
        var executor = new RecordingExecutor();

        await new FineTuneJobRunner(store, executor).RunPendingAsync(TestContext.Current.CancellationToken);

        var failed = await store.GetJobAsync(job.Id, TestContext.Current.CancellationToken);
        Assert.Equal(FineTuneJobStatus.Failed, failed.Status);
        Assert.Equal(ErrorCodes.DatasetEmpty, failed.ErrorCode);
        Assert.Null(executor.SeenStatus);
    }

    [Fact]
    public async Task Cancelling_a_queued_job_cancels_it_at_once_and_a_succeeded_job_cannot_be_cancelled()
    {
        using var dir = new TempDirectory();
        var (store, file) = await StoreWithFileAsync(dir);
        var queued = await store.CreateJobAsync(new FineTuneJobRequest("base", file.Id), TestContext.Current.CancellationToken);

        var cancelled = await store.CancelAsync(queued.Id, TestContext.Current.CancellationToken);
        Assert.Equal(FineTuneJobStatus.Cancelled, cancelled.Status);
        Assert.Equal(0, await new FineTuneJobRunner(store, new RecordingExecutor()).RunPendingAsync(TestContext.Current.CancellationToken));

        var other = await store.CreateJobAsync(new FineTuneJobRequest("base", file.Id), TestContext.Current.CancellationToken);
        await new FineTuneJobRunner(store, new RecordingExecutor()).RunPendingAsync(TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<HanlinException>(() => store.CancelAsync(other.Id, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCodes.JobNotCancellable, error.Code);
    }

    [Fact]
    public async Task Cancelling_a_running_job_through_the_store_stops_its_trainer_and_keeps_its_checkpoints()
    {
        using var dir = new TempDirectory();
        var (store, file) = await StoreWithFileAsync(dir);
        var job = await store.CreateJobAsync(new FineTuneJobRequest("base", file.Id), TestContext.Current.CancellationToken);
        var executor = new RecordingExecutor { WaitForCancellation = true };
        var runner = new FineTuneJobRunner(store, executor) { CancellationPollInterval = TimeSpan.FromMilliseconds(20) };

        var run = runner.RunPendingAsync(TestContext.Current.CancellationToken);
        await executor.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await new FineTuneStore(store.DatabasePath, Path.GetDirectoryName(store.FilesDirectory)!).CancelAsync(job.Id, TestContext.Current.CancellationToken);
        await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var cancelled = await store.GetJobAsync(job.Id, TestContext.Current.CancellationToken);
        Assert.Equal(FineTuneJobStatus.Cancelled, cancelled.Status);
        Assert.Single((await store.ListCheckpointsAsync(job.Id, cancellationToken: TestContext.Current.CancellationToken)).Items);
    }

    [Fact]
    public async Task A_trainer_error_fails_the_job_with_its_code_and_an_unexpected_crash_fails_it_as_internal()
    {
        using var dir = new TempDirectory();
        var (store, file) = await StoreWithFileAsync(dir);
        var first = await store.CreateJobAsync(new FineTuneJobRequest("base", file.Id), TestContext.Current.CancellationToken);
        await new FineTuneJobRunner(store, new RecordingExecutor { Fault = new HanlinException(ErrorCodes.UnsupportedModel, "No such base.") }).RunPendingAsync(TestContext.Current.CancellationToken);
        var second = await store.CreateJobAsync(new FineTuneJobRequest("base", file.Id), TestContext.Current.CancellationToken);
        await new FineTuneJobRunner(store, new RecordingExecutor { Fault = new InvalidOperationException("boom") }).RunPendingAsync(TestContext.Current.CancellationToken);

        var a = await store.GetJobAsync(first.Id, TestContext.Current.CancellationToken);
        var b = await store.GetJobAsync(second.Id, TestContext.Current.CancellationToken);
        Assert.Equal((FineTuneJobStatus.Failed, ErrorCodes.UnsupportedModel, "No such base."), (a.Status, a.ErrorCode, a.ErrorMessage));
        Assert.Equal((FineTuneJobStatus.Failed, ErrorCodes.Internal), (b.Status, b.ErrorCode));
        Assert.Contains("boom", b.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_stopping_mid_training_queues_the_job_again_and_the_next_runner_finishes_it()
    {
        using var dir = new TempDirectory();
        var (store, file) = await StoreWithFileAsync(dir);
        var job = await store.CreateJobAsync(new FineTuneJobRequest("base", file.Id), TestContext.Current.CancellationToken);
        using var host = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var executor = new RecordingExecutor { WaitForCancellation = true };

        var run = new FineTuneJobRunner(store, executor).RunPendingAsync(host.Token);
        await executor.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await host.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(FineTuneJobStatus.Queued, (await store.GetJobAsync(job.Id, TestContext.Current.CancellationToken)).Status);

        await new FineTuneJobRunner(store, new RecordingExecutor()).RunPendingAsync(TestContext.Current.CancellationToken);
        Assert.Equal(FineTuneJobStatus.Succeeded, (await store.GetJobAsync(job.Id, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task Jobs_left_running_by_a_process_that_died_are_queued_again_or_cancelled_if_that_was_asked()
    {
        using var dir = new TempDirectory();
        var (store, file) = await StoreWithFileAsync(dir);
        var a = await store.CreateJobAsync(new FineTuneJobRequest("base", file.Id), TestContext.Current.CancellationToken);
        var b = await store.CreateJobAsync(new FineTuneJobRequest("base", file.Id), TestContext.Current.CancellationToken);
        await store.TransitionAsync(a.Id, [FineTuneJobStatus.ValidatingFiles], FineTuneJobStatus.Running, TestContext.Current.CancellationToken);
        await store.TransitionAsync(b.Id, [FineTuneJobStatus.ValidatingFiles], FineTuneJobStatus.Running, TestContext.Current.CancellationToken);
        await store.CancelAsync(b.Id, TestContext.Current.CancellationToken);

        Assert.Equal(1, await store.RecoverInterruptedJobsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(FineTuneJobStatus.Queued, (await store.GetJobAsync(a.Id, TestContext.Current.CancellationToken)).Status);
        Assert.Equal(FineTuneJobStatus.Cancelled, (await store.GetJobAsync(b.Id, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task Listing_pages_newest_first_with_an_after_cursor_and_rejects_bad_requests()
    {
        using var dir = new TempDirectory();
        var (store, file) = await StoreWithFileAsync(dir);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await store.CreateJobAsync(new FineTuneJobRequest("base", file.Id), TestContext.Current.CancellationToken)).Id);
        }

        var first = await store.ListJobsAsync(limit: 2, cancellationToken: TestContext.Current.CancellationToken);
        var second = await store.ListJobsAsync(first.Items[^1].Id, 2, TestContext.Current.CancellationToken);
        var last = await store.ListJobsAsync(second.Items[^1].Id, 2, TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Reverse(ids), first.Items.Concat(second.Items).Concat(last.Items).Select(j => j.Id));
        Assert.Equal((true, true, false), (first.HasMore, second.HasMore, last.HasMore));
        Assert.Equal(ErrorCodes.InvalidArgument, (await Assert.ThrowsAsync<HanlinException>(() => store.ListJobsAsync(limit: 0, cancellationToken: TestContext.Current.CancellationToken))).Code);
        Assert.Equal(ErrorCodes.FileNotFound, (await Assert.ThrowsAsync<HanlinException>(() => store.CreateJobAsync(new FineTuneJobRequest("base", "file-nope"), TestContext.Current.CancellationToken))).Code);
        Assert.Equal(ErrorCodes.InvalidArgument, (await Assert.ThrowsAsync<HanlinException>(() => store.CreateJobAsync(new FineTuneJobRequest("base", file.Id, Suffix: "no spaces"), TestContext.Current.CancellationToken))).Code);
        Assert.Equal(ErrorCodes.InvalidArgument, (await Assert.ThrowsAsync<HanlinException>(() => store.CreateJobAsync(new FineTuneJobRequest("base", file.Id, HyperparametersJson: "[1]"), TestContext.Current.CancellationToken))).Code);
        Assert.Equal(ErrorCodes.JobNotFound, (await Assert.ThrowsAsync<HanlinException>(() => store.GetJobAsync("ftjob-nope", TestContext.Current.CancellationToken))).Code);
        Assert.Equal(ErrorCodes.FileInUse, (await Assert.ThrowsAsync<HanlinException>(() => store.DeleteFileAsync(file.Id, TestContext.Current.CancellationToken))).Code);
    }

    /// <summary>
    /// Stands in for the trainer in lifecycle tests only (the trainer has its own tests): reports what a real run
    /// reports — a metrics event and a checkpoint — and can fail, crash or wait for cancellation.
    /// </summary>
    private sealed class RecordingExecutor : IFineTuneExecutor
    {
        public bool WaitForCancellation { get; init; }

        public Exception? Fault { get; init; }

        public FineTuneJobStatus? SeenStatus { get; private set; }

        public string? SeenRunDirectory { get; private set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<FineTuneOutcome> ExecuteAsync(FineTuneExecution execution, CancellationToken cancellationToken = default)
        {
            SeenStatus = execution.Job.Status;
            SeenRunDirectory = execution.RunDirectory;
            await execution.Reporter.MetricsAsync(10, new Dictionary<string, double> { ["train_loss"] = 1.5, ["valid_loss"] = double.NaN }, cancellationToken);
            var checkpoint = Directory.CreateDirectory(Path.Combine(execution.RunDirectory, "checkpoint-10")).FullName;
            await execution.Reporter.CheckpointAsync(10, new Dictionary<string, double> { ["train_loss"] = 1.5 }, checkpoint, cancellationToken);
            Started.TrySetResult();
            if (Fault is not null)
            {
                throw Fault;
            }

            if (WaitForCancellation)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new FineTuneOutcome($"ft:{execution.Job.Model}:{execution.Job.Suffix}", 123);
        }
    }
}
