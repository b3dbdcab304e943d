using Hanlin.Ingestion.Chunking;

namespace Hanlin.Ingestion.Tests.Chunking;

public sealed class SentenceSplitterTests
{
    private readonly SentenceSplitter _splitter = new();

    [Theory]
    [InlineData("患者应饭后服用。每日两次！是否需要复查？", new[] { "患者应饭后服用。", "每日两次！", "是否需要复查？" })]
    [InlineData("他说：“不要空腹服用。”然后离开了。", new[] { "他说：“不要空腹服用。”", "然后离开了。" })]
    [InlineData("孕妇禁用；哺乳期妇女慎用。", new[] { "孕妇禁用；", "哺乳期妇女慎用。" })]
    [InlineData("症状包括头痛、恶心……严重者应停药。", new[] { "症状包括头痛、恶心……", "严重者应停药。" })]
    [InlineData("（见说明书。）下一句。", new[] { "（见说明书。）", "下一句。" })]
    [InlineData("「注意！」请勿驾驶。", new[] { "「注意！」", "请勿驾驶。" })]
    public void Chinese_terminators_and_closing_quotes_end_sentences(string text, string[] expected)
    {
        Assert.Equal(expected, Sentences(text));
    }

    [Theory]
    [InlineData("Take an NSAID, e.g. ibuprofen, with food. Dr. Smith agrees.", new[] { "Take an NSAID, e.g. ibuprofen, with food.", "Dr. Smith agrees." })]
    [InlineData("The dose is 0.5 mg. Pi is about 3.14 here.", new[] { "The dose is 0.5 mg.", "Pi is about 3.14 here." })]
    [InlineData("It was approved in the U.S. by the FDA. Mr. Lee objected.", new[] { "It was approved in the U.S. by the FDA.", "Mr. Lee objected." })]
    [InlineData("See Fig. 3 for details. Patent No. 12345 expired.", new[] { "See Fig. 3 for details.", "Patent No. 12345 expired." })]
    [InlineData("1. Take the tablet. 2. Drink water.", new[] { "1. Take the tablet.", "2. Drink water." })]
    [InlineData("Wait... what happened? He left... Then it rained!", new[] { "Wait... what happened?", "He left...", "Then it rained!" })]
    [InlineData("He asked \"why?\" She left.", new[] { "He asked \"why?\"", "She left." })]
    [InlineData("Version 2.1.3 ships today. Really!", new[] { "Version 2.1.3 ships today.", "Really!" })]
    [InlineData("Use tablets, capsules, etc. The rest is optional.", new[] { "Use tablets, capsules, etc.", "The rest is optional." })]
    [InlineData("J. R. R. Tolkien wrote it. Done.", new[] { "J. R. R. Tolkien wrote it.", "Done." })]
    public void English_breaks_ignore_abbreviations_decimals_enumerators_and_initials(string text, string[] expected)
    {
        Assert.Equal(expected, Sentences(text));
    }

    [Theory]
    [InlineData("This is OK.然后继续。", new[] { "This is OK.", "然后继续。" })]
    [InlineData("第一行\n第二行", new[] { "第一行", "第二行" })]
    [InlineData("line one\r\nline two\n\n  line three  ", new[] { "line one", "line two", "line three" })]
    [InlineData("   ", new string[0])]
    [InlineData("no terminator at all", new[] { "no terminator at all" })]
    public void Newlines_are_hard_breaks_and_mixed_scripts_split(string text, string[] expected)
    {
        Assert.Equal(expected, Sentences(text));
    }

    [Fact]
    public void Spans_are_exact_offsets_into_the_document_and_shifted_by_the_given_offset()
    {
        const string document = "前言。\n\n正文第一句。 Second sentence here. 第三句！";
        var start = document.IndexOf('正', StringComparison.Ordinal);
        var spans = new List<TextSpan>();

        _splitter.Split(document.AsSpan(start), start, spans);

        Assert.Equal(["正文第一句。", "Second sentence here.", "第三句！"], spans.Select(s => document.Substring(s.Start, s.Length)));
        for (var i = 1; i < spans.Count; i++)
        {
            Assert.True(string.IsNullOrWhiteSpace(document[spans[i - 1].End..spans[i].Start]));
        }
    }

    private string[] Sentences(string text) => _splitter.Split(text).Select(s => text.Substring(s.Start, s.Length)).ToArray();
}
