using Hanlin.Models.Chat;
using Hanlin.Training.Benchmarks;

namespace Hanlin.Training.Tests.Benchmarks;

public sealed class FineTuneBenchmarkTests
{
    [Fact]
    public async Task LoRA_on_stories260K_lowers_pharmacy_perplexity_by_30_percent_while_its_stories_move_less_than_10_percent()
    {
        var folder = SharedData.Require("models/stories260K");
        using var dir = new TempDirectory();
        using var model = await LocalChatModel.LoadAsync(
            "stories260K", Path.Combine(folder, "stories260K.bin"), Path.Combine(folder, "tok512.bin"), cancellationToken: TestContext.Current.CancellationToken);

        var result = await FineTuneBenchmark.DemonstrateAsync(model, FineTuneBenchmark.DemonstrationOptions, dir.File("run"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.DomainChange <= -0.30, $"pharmacy perplexity {result.DomainPerplexityBefore:F2} -> {result.DomainPerplexityAfter:F2}");
        Assert.True(result.StoryChange < 0.10, $"story perplexity {result.StoryPerplexityBefore:F2} -> {result.StoryPerplexityAfter:F2}");
        Assert.Null(model.Model.Adapter); // the adapter was detached after measuring
    }
}
