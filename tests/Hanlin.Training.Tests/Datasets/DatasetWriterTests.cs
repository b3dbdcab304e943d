using Hanlin.Core.Errors;
using Hanlin.Training.Datasets;

namespace Hanlin.Training.Tests.Datasets;

public sealed class DatasetWriterTests
{
    [Fact]
    public async Task Conversations_written_as_chat_jsonl_read_back_identically()
    {
        using var dir = new TempDirectory();
        TrainingExample[] examples =
        [
            new(1, [new TrainingMessage(ChatRole.System, "你是药剂师。"), new TrainingMessage(ChatRole.User, "Line one\nline \"two\""), new TrainingMessage(ChatRole.Assistant, "不可以。")]),
            new(2, [new TrainingMessage(ChatRole.User, "q"), new TrainingMessage(ChatRole.Assistant, "a")]),
        ];
        var path = dir.File("out/train.jsonl");

        await DatasetWriter.WriteAsync(path, examples);
        var read = await DatasetReader.ReadAsync(path, new DatasetReadOptions { Strict = true });

        Assert.Equal(DatasetFormat.Chat, read.Format);
        Assert.Equal(examples.SelectMany(e => e.Messages), read.Examples.SelectMany(e => e.Messages));
        Assert.Equal([1, 2], read.Examples.Select(e => e.LineNumber));
        Assert.Contains("你是药剂师", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.Equal(".jsonl", DatasetWriter.ExtensionFor(examples));
    }

    [Fact]
    public async Task Plain_text_documents_round_trip_through_blank_line_separation()
    {
        using var dir = new TempDirectory();
        TrainingExample[] examples = [new(1, [new TrainingMessage(ChatRole.Text, "First line\nsecond line")]), new(4, [new TrainingMessage(ChatRole.Text, "另一篇。")])];
        var path = dir.File("train.txt");

        await DatasetWriter.WriteAsync(path, examples);
        var read = await DatasetReader.ReadAsync(path);

        Assert.Equal(".txt", DatasetWriter.ExtensionFor(examples));
        Assert.Equal(["First line\nsecond line", "另一篇。"], read.Examples.Select(e => e.Messages[0].Content));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Mixing_plain_text_and_conversations_in_one_file_is_refused()
    {
        using var dir = new TempDirectory();
        TrainingExample[] examples = [new(1, [new TrainingMessage(ChatRole.Text, "t")]), new(2, [new TrainingMessage(ChatRole.User, "q"), new TrainingMessage(ChatRole.Assistant, "a")])];

        var ex = await Assert.ThrowsAsync<HanlinException>(() => DatasetWriter.WriteAsync(dir.File("x.jsonl"), examples));

        Assert.Equal(ErrorCodes.InvalidArgument, ex.Code);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
