using Hanlin.Cli.Composition;
using Hanlin.Core.Errors;
using Hanlin.Core.Storage;
using Hanlin.Training.Datasets;
using Hanlin.Training.Synthesis;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Cli.Tests;

public sealed class FinetuneDatasetFromCollectionTests
{
    private const string Leaflet = """
        # Aspirin

        ## Indications

        Aspirin relieves mild to moderate pain. It also reduces fever and inflammation in adults.

        ## Contraindications

        Aspirin must not be used with an active peptic ulcer. Patients with a known allergy to salicylates must avoid it.

        ## Dosage

        Adults take 300 to 600 mg every four hours. The daily dose must not exceed 4 g.
        """;

    private static async Task<string> IngestAsync(TempDirectory dir)
    {
        dir.Write("in/aspirin.md", Leaflet);
        var data = dir.File("data");
        var (exit, _) = await CliRunner.RunAsync("ingest", dir.File("in"), "-c", "pharmacy", "--data", data);
        Assert.Equal(ExitCodes.Success, exit);
        return data;
    }

    [Fact]
    public async Task Without_a_teacher_each_section_becomes_a_cited_extractive_pair_plus_synonym_variants()
    {
        using var dir = new TempDirectory();
        var data = await IngestAsync(dir);
        var synonyms = dir.Write("synonyms.tsv", "# domain terms\naspirin\tacetylsalicylic acid,ASA\n");
        var output = dir.File("qa.jsonl");

        var (exit, json) = await CliRunner.RunJsonAsync("finetune", "dataset", "--from-collection", "pharmacy", "--synonyms", synonyms, "--out", output, "--data", data);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(3, json.GetProperty("by_origin").GetProperty("extractive").GetInt32());
        Assert.Equal(6, json.GetProperty("by_origin").GetProperty("synonym").GetInt32());
        var dataset = await DatasetReader.ReadAsync(output, new DatasetReadOptions { Strict = true }, TestContext.Current.CancellationToken);
        Assert.Equal(DatasetFormat.Chat, dataset.Format);
        Assert.Equal(9, dataset.Examples.Count);
        var dosage = dataset.Examples.First(e => e.Messages[0].Content.Contains("Dosage", StringComparison.Ordinal));
        Assert.Equal("What does the documentation on Aspirin say about Dosage?", dosage.Messages[0].Content);
        Assert.StartsWith("Adults take 300 to 600 mg every four hours.", dosage.Messages[1].Content, StringComparison.Ordinal);
        Assert.EndsWith("aspirin.md § Aspirin > Dosage]", dosage.Messages[1].Content, StringComparison.Ordinal);
        Assert.Contains(dataset.Examples, e => e.Messages[0].Content == "What does the documentation on acetylsalicylic acid say about Dosage?");
    }

    [Fact]
    public async Task A_teacher_writes_questions_and_cited_answers_and_back_translation_paraphrases_them()
    {
        using var dir = new TempDirectory();
        var data = await IngestAsync(dir);
        await using var services = CliServices.Create(data);
        var store = services.GetRequiredService<IKnowledgeStore>();
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        using var teacher = new RuleTeacher();

        var result = await new KnowledgeDatasetBuilder(store, teacher).BuildAsync(
            "pharmacy",
            new KnowledgeDatasetOptions { QuestionsPerPassage = 2, BackTranslate = true, PivotLanguage = "French", SystemPrompt = "Answer with citations." },
            TestContext.Current.CancellationToken);

        var taught = result.Pairs.Where(p => p.Origin == KnowledgePairOrigin.Teacher).ToList();
        Assert.Equal(6, taught.Count);
        Assert.All(taught, p => Assert.EndsWith(p.Citation, p.Answer, StringComparison.Ordinal));
        var ulcer = taught.Single(p => p.Question == "What is said about Aspirin must not?");
        Assert.StartsWith("Aspirin must not be used with an active peptic ulcer. [source: ", ulcer.Answer, StringComparison.Ordinal);
        Assert.EndsWith("aspirin.md § Aspirin > Contraindications]", ulcer.Answer, StringComparison.Ordinal);
        var paraphrases = result.Pairs.Where(p => p.Origin == KnowledgePairOrigin.BackTranslation).ToList();
        Assert.Equal(6, paraphrases.Count);
        Assert.Contains(paraphrases, p => p.Question == "What is stated about Aspirin must not?" && p.Answer == ulcer.Answer);
        Assert.Equal(3 + 6 + 12, teacher.Calls); // 3 question prompts, 6 answers, 2 translations per question

        var output = dir.File("distilled.jsonl");
        await DatasetWriter.WriteAsync(output, result.Examples, TestContext.Current.CancellationToken);
        var dataset = await DatasetReader.ReadAsync(output, new DatasetReadOptions { Strict = true }, TestContext.Current.CancellationToken);
        Assert.Equal(12, dataset.Examples.Count);
        Assert.All(dataset.Examples, e => Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant], e.Messages.Select(m => m.Role)));
    }

    [Fact]
    public async Task Max_passages_limits_how_much_of_the_collection_is_read()
    {
        using var dir = new TempDirectory();
        var data = await IngestAsync(dir);

        var (exit, json) = await CliRunner.RunJsonAsync("finetune", "dataset", "--from-collection", "pharmacy", "--max-passages", "1", "--out", dir.File("one.jsonl"), "--data", data);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(1, json.GetProperty("passages").GetInt32());
        Assert.Equal(1, json.GetProperty("pairs").GetInt32());
    }

    [Fact]
    public async Task A_missing_collection_fails_with_collection_not_found()
    {
        using var dir = new TempDirectory();
        var data = await IngestAsync(dir);

        var (exit, json) = await CliRunner.RunJsonAsync("finetune", "dataset", "--from-collection", "nope", "--out", dir.File("x.jsonl"), "--data", data);

        Assert.NotEqual(ExitCodes.Success, exit);
        Assert.Equal("collection_not_found", json.GetProperty("error").GetProperty("code").GetString());
        Assert.False(File.Exists(dir.File("x.jsonl")));
    }

    [Fact]
    public async Task Back_translation_without_a_teacher_and_a_malformed_synonym_line_are_refused()
    {
        using var dir = new TempDirectory();
        var data = await IngestAsync(dir);
        var synonyms = dir.Write("bad.tsv", "aspirin ASA\n");

        var (backExit, back) = await CliRunner.RunJsonAsync("finetune", "dataset", "--from-collection", "pharmacy", "--back-translate", "--data", data, "--out", dir.File("x.jsonl"));
        var (synExit, syn) = await CliRunner.RunJsonAsync("finetune", "dataset", "--from-collection", "pharmacy", "--synonyms", synonyms, "--data", data, "--out", dir.File("x.jsonl"));

        Assert.NotEqual(ExitCodes.Success, backExit);
        Assert.Equal(ErrorCodes.InvalidArgument, back.GetProperty("error").GetProperty("code").GetString());
        Assert.NotEqual(ExitCodes.Success, synExit);
        Assert.Contains("Line 1", syn.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
