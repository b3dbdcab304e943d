using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hanlin.Training.Jobs;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Files;
using OpenAI.FineTuning;

#pragma warning disable OPENAI001 // The fine-tuning client is marked experimental by its authors; its wire format is what is tested.

namespace Hanlin.Server.Tests;

/// <summary>The OpenAI-shaped fine-tuning API (<c>/v1/files</c>, <c>/v1/fine_tuning/jobs</c>) with the official client.</summary>
public sealed class FineTuningApiTests
{
    private const string TrainingLines = """
        {"messages":[{"role":"user","content":"Adult dose of aspirin?"},{"role":"assistant","content":"300 to 1000 mg."}]}
        {"messages":[{"role":"user","content":"什么是市盈率？"},{"role":"assistant","content":"股价与每股收益之比。"}]}
        """;

    private static readonly ApiKeyCredential Key = new("unused");

    [Fact]
    public async Task The_official_client_uploads_a_file_creates_a_job_follows_it_to_success_and_reads_its_events_and_checkpoints()
    {
        await using var server = await RunningServer.StartAsync((services, _) => services.AddSingleton<IFineTuneExecutor>(new InstantTrainer()));
        var options = new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") };
        var file = (await new OpenAIFileClient(Key, options).UploadFileAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(TrainingLines)), "train.jsonl", FileUploadPurpose.FineTune)).Value;
        Assert.StartsWith("file-", file.Id, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetByteCount(TrainingLines), file.SizeInBytesLong);

        var client = new FineTuningClient(Key, new FineTuningClientOptions { Endpoint = options.Endpoint });
        var job = await client.FineTuneAsync("stories260K", file.Id, waitUntilCompleted: false, new FineTuningOptions { Suffix = "pharma", Seed = 42 });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!job.HasCompleted)
        {
            await Task.Delay(50, timeout.Token);
            await job.UpdateStatusAsync(timeout.Token);
        }

        Assert.Equal("succeeded", job.Status.ToString());
        var raw = await server.Client.GetFromJsonAsync<JsonElement>($"/v1/fine_tuning/jobs/{job.JobId}");
        Assert.Equal("fine_tuning.job", raw.GetProperty("object").GetString());
        Assert.Equal("ft:stories260K:pharma", raw.GetProperty("fine_tuned_model").GetString());
        Assert.Equal(42, raw.GetProperty("seed").GetInt64());
        Assert.Equal(JsonValueKind.Null, raw.GetProperty("error").ValueKind);

        var messages = new List<string>();
        await foreach (var item in job.GetEventsAsync(new GetEventsOptions(), timeout.Token))
        {
            messages.Add(item.Message);
        }

        Assert.Contains(messages, m => m.Contains("2 usable examples", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Step 5:", StringComparison.Ordinal));
        var steps = new List<long>();
        await foreach (var checkpoint in job.GetCheckpointsAsync(new GetCheckpointsOptions(), timeout.Token))
        {
            steps.Add(checkpoint.StepNumber);
        }

        Assert.Equal([5], steps);
        using var cancel = await server.Client.PostAsync($"/v1/fine_tuning/jobs/{job.JobId}/cancel", null);
        await Problems.AssertAsync(cancel, HttpStatusCode.Conflict, "job_not_cancellable");
    }

    [Fact]
    public async Task Bad_fine_tuning_requests_get_problem_details_with_stable_codes()
    {
        await using var server = await RunningServer.StartAsync();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(TrainingLines)), "file", "train.jsonl" }, { new StringContent("assistants"), "purpose" } };
        await Problems.AssertAsync(await server.Client.PostAsync("/v1/files", form), HttpStatusCode.BadRequest, "invalid_argument");
        await Problems.AssertAsync(
            await server.Client.PostJsonTextAsync("/v1/fine_tuning/jobs", """{"model":"stories260K","training_file":"file-missing"}"""), HttpStatusCode.NotFound, "file_not_found");
        await Problems.AssertAsync(await server.Client.PostJsonTextAsync("/v1/fine_tuning/jobs", """{"model":"stories260K"}"""), HttpStatusCode.BadRequest, "invalid_argument");
        await Problems.AssertAsync(await server.Client.PostJsonTextAsync("/v1/fine_tuning/jobs", "{not json"), HttpStatusCode.BadRequest, "malformed_request");
        await Problems.AssertAsync(await server.Client.GetAsync("/v1/fine_tuning/jobs/ftjob-missing"), HttpStatusCode.NotFound, "job_not_found");
        await Problems.AssertAsync(await server.Client.GetAsync("/v1/fine_tuning/jobs?limit=0"), HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task A_running_job_is_listed_and_cancelling_it_stops_its_trainer()
    {
        var trainer = new InstantTrainer { WaitForCancellation = true };
        await using var server = await RunningServer.StartAsync((services, _) => services.AddSingleton<IFineTuneExecutor>(trainer));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(TrainingLines)), "file", "train.jsonl" }, { new StringContent("fine-tune"), "purpose" } };
        var file = await (await server.Client.PostAsync("/v1/files", form)).Content.ReadFromJsonAsync<JsonElement>();
        var created = await (await server.Client.PostAsJsonAsync("/v1/fine_tuning/jobs", new { model = "stories260K", training_file = file.GetProperty("id").GetString() }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString();
        Assert.Equal("validating_files", created.GetProperty("status").GetString());
        await trainer.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var listed = await server.Client.GetFromJsonAsync<JsonElement>("/v1/fine_tuning/jobs?limit=5");
        Assert.Equal((id, "running"), (listed.GetProperty("data")[0].GetProperty("id").GetString(), listed.GetProperty("data")[0].GetProperty("status").GetString()));
        Assert.False(listed.GetProperty("has_more").GetBoolean());

        (await server.Client.PostAsync($"/v1/fine_tuning/jobs/{id}/cancel", null)).EnsureSuccessStatusCode();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? status;
        do
        {
            await Task.Delay(50, timeout.Token);
            status = (await server.Client.GetFromJsonAsync<JsonElement>($"/v1/fine_tuning/jobs/{id}", timeout.Token)).GetProperty("status").GetString();
        }
        while (status == "running");

        Assert.Equal("cancelled", status);
    }

    /// <summary>Stands in for the trainer (tested on its own) so these tests are about the API: one metrics event, one checkpoint.</summary>
    private sealed class InstantTrainer : IFineTuneExecutor
    {
        public bool WaitForCancellation { get; init; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<FineTuneOutcome> ExecuteAsync(FineTuneExecution execution, CancellationToken cancellationToken = default)
        {
            await execution.Reporter.MetricsAsync(5, new Dictionary<string, double> { ["train_loss"] = 2.0 }, cancellationToken);
            await execution.Reporter.CheckpointAsync(5, new Dictionary<string, double> { ["train_loss"] = 2.0 }, execution.RunDirectory, cancellationToken);
            Started.TrySetResult();
            if (WaitForCancellation)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new FineTuneOutcome($"ft:{execution.Job.Model}:{execution.Job.Suffix}", 64);
        }
    }
}
