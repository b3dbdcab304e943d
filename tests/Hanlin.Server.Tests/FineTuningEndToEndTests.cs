using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hanlin.Models.Tokenization;

namespace Hanlin.Server.Tests;

/// <summary>
/// A fine-tuning job through the HTTP API with the real LoRA trainer on a tiny chat model (2-layer Llama, byte-level
/// tokenizer, chat template): it trains, checkpoints, registers the adapter, and the model it produced answers.
/// </summary>
public sealed class FineTuningEndToEndTests
{
    private static readonly (string Question, string Answer)[] Pairs =
    [
        ("Dose?", "100 mg daily."), ("Fee?", "1.5 percent."), ("Risk?", "Low to medium."),
        ("Form?", "Tablet."), ("Store?", "Below 25 C."), ("Ratio?", "Price over earnings."),
    ];

    [Fact]
    public async Task A_job_trains_a_real_adapter_that_is_registered_listed_and_answers_chat_completions()
    {
        using var models = new TempDirectory();
        var baseDirectory = CopyTinyChat(models.File("tiny-chat"));
        Assert.Equal(
            [60, 117, 115, 101, 114, 62, 68, 111, 115, 101, 63, 10, 60, 97, 115, 115, 105, 115, 116, 97, 110, 116, 62],
            TokenizerLoader.Load(baseDirectory).Encode("<user>Dose?\n<assistant>", addSpecialTokens: false)); // the ids transformers gives
        await using var server = await RunningServer.StartAsync();
        var lines = Enumerable.Range(0, 4).SelectMany(_ => Pairs).Select(p => JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "user", content = p.Question }, new { role = "assistant", content = p.Answer } },
        }));
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join('\n', lines))), "file", "train.jsonl" },
            { new StringContent("fine-tune"), "purpose" },
        };
        var file = await (await server.Client.PostAsync("/v1/files", form)).Content.ReadFromJsonAsync<JsonElement>();

        var created = await (await server.Client.PostAsJsonAsync("/v1/fine_tuning/jobs", new
        {
            model = baseDirectory,
            training_file = file.GetProperty("id").GetString(),
            suffix = "pharma",
            seed = 3,
            method = new
            {
                type = "supervised",
                supervised = new
                {
                    hyperparameters = new Dictionary<string, object>
                    {
                        ["n_epochs"] = "auto", ["max_steps"] = 12, ["batch_size"] = 4, ["learning_rate"] = 0.01, ["eval_interval"] = 0,
                        ["checkpoint_interval"] = 6, ["lora"] = new { rank = 4, alpha = 8, target_modules = new[] { "q_proj", "v_proj", "gate_proj", "down_proj" } },
                    },
                },
            },
        })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString();
        var job = await WaitAsync(server, id!);

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        var model = job.GetProperty("fine_tuned_model").GetString()!;
        Assert.StartsWith("ft:tiny-chat:pharma:", model, StringComparison.Ordinal);
        Assert.True(job.GetProperty("trained_tokens").GetInt64() > 0);

        var events = await server.Client.GetFromJsonAsync<JsonElement>($"/v1/fine_tuning/jobs/{id}/events?limit=100");
        var losses = events.GetProperty("data").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "metrics" && e.GetProperty("data").TryGetProperty("train_loss", out _))
            .Select(e => e.GetProperty("data").GetProperty("train_loss").GetDouble()).Reverse().ToList();
        Assert.True(losses.Count >= 10 && losses[^1] < losses[0], $"training lowers the loss: {string.Join(", ", losses)}");
        var checkpoints = await server.Client.GetFromJsonAsync<JsonElement>($"/v1/fine_tuning/jobs/{id}/checkpoints");
        Assert.Contains(12, checkpoints.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("step_number").GetInt32()));

        var listed = await server.Client.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.Contains(model, listed.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        using var answer = await server.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model,
            messages = new[] { new { role = "user", content = "Dose?" } },
            max_tokens = 8,
            temperature = 0,
        });
        var completion = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.IsSuccessStatusCode, completion.ToString());
        Assert.Equal(model, completion.GetProperty("model").GetString());
        Assert.True(completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
    }

    private static async Task<JsonElement> WaitAsync(RunningServer server, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var job = await server.Client.GetFromJsonAsync<JsonElement>($"/v1/fine_tuning/jobs/{id}", timeout.Token);
            if (job.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
            {
                return job;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    private static string CopyTinyChat(string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-chat")))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}
