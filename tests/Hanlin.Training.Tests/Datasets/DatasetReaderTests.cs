using Hanlin.Core.Errors;
using Hanlin.Training.Datasets;

namespace Hanlin.Training.Tests.Datasets;

public sealed class DatasetReaderTests
{
    private const string GoodChat = """{"messages":[{"role":"system","content":"You are a pharmacist."},{"role":"user","content":"Can I take aspirin with an ulcer?"},{"role":"assistant","content":"No: active peptic ulcer is a contraindication."}]}""";

    [Fact]
    public async Task Every_bad_chat_line_is_reported_with_its_line_number_and_reason_and_the_good_lines_are_kept()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("chat.jsonl", string.Join('\n',
            GoodChat,                                                                                                     // 1
            """{"messages":[{"role":"user","content":"hi"}""",                                                              // 2 malformed
            """{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"assistant","content":"c"}]}""", // 3 order
            """{"messages":[{"role":"user","content":"only a question"}]}""",                                              // 4 no assistant
            """{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"   "}]}""",                         // 5 empty
            "",                                                                                                             // 6 blank, skipped
            """{"messages":[{"role":"user"},{"role":"assistant","content":"b"}]}""",                                        // 7 missing content
            """{"messages":[{"role":"tool","content":"x"},{"role":"assistant","content":"b"}]}""",                          // 8 unknown role
            """{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"this answer is far too long for the sixty character limit set here"}]}""", // 9 too long
            """{"messages":[{"role":"user","content":"你好"},{"role":"assistant","content":"您好！"}]}"""));                   // 10 good

        var dataset = await DatasetReader.ReadAsync(path, new DatasetReadOptions { MaxTurnCharacters = 60 });

        Assert.Equal(DatasetFormat.Chat, dataset.Format);
        Assert.Equal([1, 10], dataset.Examples.Select(e => e.LineNumber));
        Assert.Equal(
            [
                (2, DatasetProblemKind.MalformedJson),
                (3, DatasetProblemKind.WrongRoleOrder),
                (4, DatasetProblemKind.NoAssistantTurn),
                (5, DatasetProblemKind.EmptyContent),
                (7, DatasetProblemKind.MissingField),
                (8, DatasetProblemKind.UnknownRole),
                (9, DatasetProblemKind.TurnTooLong),
            ],
            dataset.Problems.Select(p => (p.LineNumber, p.Kind)));
        Assert.Contains("messages[2]", dataset.Problems.Single(p => p.LineNumber == 3).Message, StringComparison.Ordinal);
        Assert.Contains("'content'", dataset.Problems.Single(p => p.LineNumber == 7).Message, StringComparison.Ordinal);
        Assert.Equal(10, dataset.LinesRead);
        var first = dataset.Examples[0];
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant], first.Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task Strict_mode_refuses_a_dataset_with_any_bad_line_and_names_the_first_problems()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("chat.jsonl", $"{GoodChat}\nnot json\n{GoodChat}\n[1,2]\n");

        var ex = await Assert.ThrowsAsync<HanlinException>(() => DatasetReader.ReadAsync(path, new DatasetReadOptions { Strict = true }));

        Assert.Equal(ErrorCodes.DatasetInvalid, ex.Code);
        Assert.Contains("line 2:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 4:", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_dataset_is_an_error_even_when_not_strict()
    {
        using var dir = new TempDirectory();
        var blank = dir.Write("blank.jsonl", "\n  \n");
        var allBad = dir.Write("bad.jsonl", "{\"messages\": 1}\n");

        var empty = await Assert.ThrowsAsync<HanlinException>(() => DatasetReader.ReadAsync(blank));
        var noValid = await Assert.ThrowsAsync<HanlinException>(() => DatasetReader.ReadAsync(allBad, new DatasetReadOptions { Format = DatasetFormat.Chat }));

        Assert.Equal(ErrorCodes.DatasetEmpty, empty.Code);
        Assert.Equal(ErrorCodes.DatasetEmpty, noValid.Code);
        Assert.Contains("line 1:", noValid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_file_not_found()
    {
        using var dir = new TempDirectory();
        var ex = await Assert.ThrowsAsync<HanlinException>(() => DatasetReader.ReadAsync(dir.File("nope.jsonl")));
        Assert.Equal(ErrorCodes.FileNotFound, ex.Code);
    }

    [Fact]
    public async Task Alpaca_lines_become_system_history_user_and_assistant_turns()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("alpaca.jsonl", string.Join('\n',
            """{"instruction":"Translate to English","input":"阿司匹林","output":"Aspirin","system":"You translate drug names.","history":[["Translate 布洛芬","Ibuprofen"]]}""",
            """{"instruction":"Name a painkiller","output":""}""",
            """{"instruction":"Name a painkiller"}""",
            """{"instruction":"Say hi","input":"","output":"Hi"}"""));

        var dataset = await DatasetReader.ReadAsync(path);

        Assert.Equal(DatasetFormat.Alpaca, dataset.Format);
        Assert.Equal([1, 4], dataset.Examples.Select(e => e.LineNumber));
        Assert.Equal([(2, DatasetProblemKind.EmptyContent), (3, DatasetProblemKind.MissingField)], dataset.Problems.Select(p => (p.LineNumber, p.Kind)));
        var messages = dataset.Examples[0].Messages;
        Assert.Equal(
            [
                new TrainingMessage(ChatRole.System, "You translate drug names."),
                new TrainingMessage(ChatRole.User, "Translate 布洛芬"),
                new TrainingMessage(ChatRole.Assistant, "Ibuprofen"),
                new TrainingMessage(ChatRole.User, "Translate to English\n\n阿司匹林"),
                new TrainingMessage(ChatRole.Assistant, "Aspirin"),
            ],
            messages);
        Assert.Equal("Say hi", dataset.Examples[1].Messages[0].Content);
    }

    [Fact]
    public async Task ShareGpt_from_values_map_to_roles_and_unknown_ones_are_reported()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("sharegpt.jsonl", string.Join('\n',
            """{"conversations":[{"from":"system","value":"Be brief."},{"from":"human","value":"2+2?"},{"from":"gpt","value":"4"}]}""",
            """{"conversations":[{"from":"human","value":"hi"},{"from":"robot","value":"beep"}]}""",
            """{"conversations":[{"from":"gpt","value":"I speak first"},{"from":"human","value":"ok"}]}"""));

        var dataset = await DatasetReader.ReadAsync(path);

        Assert.Equal(DatasetFormat.ShareGpt, dataset.Format);
        var example = Assert.Single(dataset.Examples);
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant], example.Messages.Select(m => m.Role));
        Assert.Equal([(2, DatasetProblemKind.UnknownRole), (3, DatasetProblemKind.WrongRoleOrder)], dataset.Problems.Select(p => (p.LineNumber, p.Kind)));
    }

    [Fact]
    public async Task Plain_text_documents_are_split_on_blank_lines_and_keep_their_first_line_number()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("corpus.txt", "Aspirin is an NSAID.\nIt inhibits COX-1.\n\n\n布洛芬是一种非甾体抗炎药。\n\nLast paragraph.");

        var blank = await DatasetReader.ReadAsync(path);
        var lines = await DatasetReader.ReadAsync(path, new DatasetReadOptions { TextSplit = TextDocumentSplit.Lines });

        Assert.Equal(DatasetFormat.Text, blank.Format);
        Assert.Equal([1, 5, 7], blank.Examples.Select(e => e.LineNumber));
        Assert.True(blank.Examples[0].IsPlainText);
        Assert.Equal("Aspirin is an NSAID.\nIt inhibits COX-1.", blank.Examples[0].Messages[0].Content);
        Assert.Equal([1, 2, 5, 7], lines.Examples.Select(e => e.LineNumber));
    }

    [Fact]
    public async Task A_token_limit_uses_the_given_token_counter()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("chat.jsonl", """{"messages":[{"role":"user","content":"one two three four"},{"role":"assistant","content":"five"}]}""");

        var dataset = await Assert.ThrowsAsync<HanlinException>(() => DatasetReader.ReadAsync(path, new DatasetReadOptions { MaxTurnTokens = 3, TokenCounter = new WhitespaceTokenCounter() }));

        Assert.Equal(ErrorCodes.DatasetEmpty, dataset.Code);
        Assert.Contains("4 tokens", dataset.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explicit_format_overrides_detection_and_reports_lines_of_another_format()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("mixed.jsonl", $"{GoodChat}\n{{\"instruction\":\"i\",\"output\":\"o\"}}\n");

        var dataset = await DatasetReader.ReadAsync(path, new DatasetReadOptions { Format = DatasetFormat.Chat });

        Assert.Single(dataset.Examples);
        var problem = Assert.Single(dataset.Problems);
        Assert.Equal((2, DatasetProblemKind.MissingField), (problem.LineNumber, problem.Kind));
    }

    [Fact]
    public async Task A_utf8_bom_and_crlf_line_ends_are_read_transparently()
    {
        using var dir = new TempDirectory();
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes($"{GoodChat}\r\n{GoodChat}\r\n")).ToArray();
        var path = dir.Write("bom.jsonl", bytes);

        var dataset = await DatasetReader.ReadAsync(path, new DatasetReadOptions { Strict = true });

        Assert.Equal(DatasetFormat.Chat, dataset.Format);
        Assert.Equal([1, 2], dataset.Examples.Select(e => e.LineNumber));
    }

    private sealed class WhitespaceTokenCounter : ITokenCounter
    {
        public int CountTokens(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
