using System.Security.Cryptography;
using System.Text;
using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Ingestion.Chunking;
using Hanlin.Ingestion.Cleaning;
using Hanlin.Ingestion.Dedup;
using Hanlin.Ingestion.Extraction;

namespace Hanlin.Ingestion.Tests.Chunking;

public sealed class StructuredChunkerTests
{
    private static readonly TokenCounter Counter = TokenCounter.Default;
    private readonly StructuredChunker _chunker = new(Counter, new SentenceSplitter());

    [Fact]
    public void A_leaflet_is_chunked_by_section_with_each_heading_opening_its_chunk()
    {
        var document = Leaflet();
        var options = new ChunkingOptions();

        var chunks = _chunker.Chunk(document, options);

        AssertInvariants(document, chunks, options);
        Assert.StartsWith("# 阿莫西林胶囊说明书\n\n## 成分\n\n本品主要成分为阿莫西林", chunks[0].Text, StringComparison.Ordinal);
        var contraindications = Assert.Single(chunks, c => c.SectionPath == "阿莫西林胶囊说明书 > 禁忌");
        Assert.StartsWith("## 禁忌\n\n", contraindications.Text, StringComparison.Ordinal);
        Assert.Equal(ChunkKind.Paragraph, contraindications.Kind);
    }

    [Fact]
    public void A_heading_without_body_joins_its_subsection_but_stands_alone_before_a_sibling()
    {
        var document = Leaflet();

        var chunks = _chunker.Chunk(document, new ChunkingOptions());

        var adults = Assert.Single(chunks, c => c.SectionPath == "阿莫西林胶囊说明书 > 用法用量 > 成人");
        Assert.StartsWith("## 用法用量\n\n### 成人\n\n成人一次", adults.Text, StringComparison.Ordinal);
        var precautions = Assert.Single(chunks, c => c.Text.Contains("注意事项", StringComparison.Ordinal));
        Assert.Equal("## 注意事项", precautions.Text);
        Assert.Equal(ChunkKind.Heading, precautions.Kind);
        Assert.Equal("阿莫西林胶囊说明书 > 注意事项", precautions.SectionPath);
    }

    [Fact]
    public void Small_lists_and_tables_stay_whole_and_take_their_kind()
    {
        var document = Leaflet();

        var chunks = _chunker.Chunk(document, new ChunkingOptions());

        var table = Assert.Single(chunks, c => c.SectionPath.EndsWith("儿童", StringComparison.Ordinal));
        Assert.Equal(ChunkKind.Table, table.Kind);
        Assert.EndsWith(MarkdownTableRenderer.Render(ChildDoseTable()), table.Text, StringComparison.Ordinal);
        var list = Assert.Single(chunks, c => c.SectionPath.EndsWith("不良反应", StringComparison.Ordinal));
        Assert.Equal(ChunkKind.List, list.Kind);
        Assert.Contains("- 过敏反应：皮疹、荨麻疹。", list.Text, StringComparison.Ordinal);
        Assert.Contains("- 消化道反应：恶心、呕吐、腹泻。", list.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunks_never_cross_a_section_boundary()
    {
        var builder = new NormalizedDocumentBuilder();
        for (var s = 0; s < 6; s++)
        {
            builder.Heading(2, $"Section {s}");
            for (var p = 0; p < 3; p++)
            {
                builder.Paragraph(EnglishParagraph(sentences: 4, seed: (s * 10) + p));
            }
        }

        var document = builder.Build();
        var options = new ChunkingOptions { TargetTokens = 400, MaxTokens = 512, OverlapTokens = 48 };

        var chunks = _chunker.Chunk(document, options);

        AssertInvariants(document, chunks, options);
        Assert.Equal(6, chunks.Count);
        Assert.Equal(Enumerable.Range(0, 6).Select(s => $"Section {s}"), chunks.Select(c => c.SectionPath));
    }

    [Fact]
    public void A_long_paragraph_splits_at_sentence_boundaries_with_whole_sentence_overlap()
    {
        var document = new NormalizedDocumentBuilder().Heading(1, "Dosage").Paragraph(EnglishParagraph(sentences: 40, seed: 1)).Build();
        var options = new ChunkingOptions { TargetTokens = 64, MaxTokens = 96, OverlapTokens = 24 };

        var chunks = _chunker.Chunk(document, options);

        AssertInvariants(document, chunks, options);
        Assert.True(chunks.Count > 5);
        Assert.StartsWith("# Dosage\n\n", chunks[0].Text, StringComparison.Ordinal);
        var sentenceStarts = new SentenceSplitter().Split(document.Text).Select(s => s.Start).ToHashSet();
        var sentenceEnds = new SentenceSplitter().Split(document.Text).Select(s => s.End).ToHashSet();
        for (var i = 1; i < chunks.Count; i++)
        {
            var previous = chunks[i - 1];
            var current = chunks[i];
            Assert.Contains(current.CharStart, sentenceStarts);
            Assert.Contains(previous.CharEnd, sentenceEnds);
            Assert.True(current.CharStart < previous.CharEnd, $"chunk {i} does not overlap the one before it");
            Assert.True(current.CharStart > previous.CharStart);
            Assert.InRange(Counter.Count(document.Text[current.CharStart..previous.CharEnd]), 1, options.OverlapTokens);
        }
    }

    [Fact]
    public void Zero_overlap_tiles_the_paragraph_without_repeating_text()
    {
        var document = new NormalizedDocumentBuilder().Paragraph(EnglishParagraph(sentences: 30, seed: 2)).Build();
        var options = new ChunkingOptions { TargetTokens = 64, MaxTokens = 96, OverlapTokens = 0 };

        var chunks = _chunker.Chunk(document, options);

        AssertInvariants(document, chunks, options);
        Assert.True(chunks.Count > 3);
        for (var i = 1; i < chunks.Count; i++)
        {
            Assert.True(string.IsNullOrWhiteSpace(document.Text[chunks[i - 1].CharEnd..chunks[i].CharStart]));
        }

        Assert.Equal(document.Text.Trim(), document.Text[chunks[0].CharStart..chunks[^1].CharEnd]);
    }

    [Fact]
    public void A_sentence_longer_than_the_maximum_is_cut_by_tokens_into_exact_pieces()
    {
        var text = string.Concat(Enumerable.Repeat("患者应在医生指导下服用本品每日两次饭后温水送服肾功能不全者慎用", 60));
        var document = new NormalizedDocumentBuilder().Paragraph(text).Build();
        var options = new ChunkingOptions { TargetTokens = 100, MaxTokens = 120, OverlapTokens = 20 };

        var chunks = _chunker.Chunk(document, options);

        AssertInvariants(document, chunks, options);
        Assert.True(chunks.Count >= Counter.Count(text) / options.MaxTokens);
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
    }

    [Fact]
    public void A_paragraph_continued_on_the_next_page_gives_its_chunk_both_pages()
    {
        var document = new NormalizedDocumentBuilder()
            .OnPage(3).Heading(2, "Warnings").Paragraph("Do not exceed the stated dose. Keep out of reach of")
            .OnPage(4).Paragraph("children. Store below 25 °C.")
            .Build();

        var chunk = Assert.Single(_chunker.Chunk(document, new ChunkingOptions()));

        Assert.Equal(3, chunk.PageStart);
        Assert.Equal(4, chunk.PageEnd);
    }

    [Fact]
    public void A_list_larger_than_the_maximum_splits_between_items_without_overlap()
    {
        var builder = new NormalizedDocumentBuilder().Heading(2, "Side effects").Paragraph("The following were reported.");
        var items = Enumerable.Range(1, 40).Select(i => $"Effect number {i}: mild headache or nausea reported by {i * 3} patients in the trial.").ToArray();
        foreach (var item in items)
        {
            builder.ListItem(item);
        }

        var document = builder.Paragraph("Report any other effect to your doctor.").Build();
        var options = new ChunkingOptions { TargetTokens = 64, MaxTokens = 128, OverlapTokens = 16 };

        var chunks = _chunker.Chunk(document, options);

        AssertInvariants(document, chunks, options);
        var listChunks = chunks.Where(c => c.Kind == ChunkKind.List).ToList();
        Assert.True(listChunks.Count > 2);
        Assert.All(listChunks, c => Assert.StartsWith("- Effect number", c.Text, StringComparison.Ordinal));
        Assert.All(listChunks, c => Assert.EndsWith("in the trial.", c.Text, StringComparison.Ordinal));
        Assert.Equal(items, listChunks.SelectMany(c => c.Text.Split("\n\n")).Select(l => l[2..]));
    }

    [Fact]
    public void A_table_larger_than_the_maximum_splits_by_rows_repeating_caption_and_header()
    {
        var rows = Enumerable.Range(1, 80).Select(i => (IReadOnlyList<string>)[$"{i}", $"Drug {i}", $"{i * 5} mg twice daily"]).ToArray();
        var table = new TableBlock(["No.", "Drug", "Dose"], rows, "Table 2. Doses");
        var document = new NormalizedDocumentBuilder().Heading(2, "Doses").Table(table).Paragraph("After the table.").Build();
        var options = new ChunkingOptions { TargetTokens = 96, MaxTokens = 128, OverlapTokens = 16 };

        var chunks = _chunker.Chunk(document, options);

        AssertInvariants(document, chunks, options);
        var pieces = chunks.Where(c => c.Kind == ChunkKind.Table).ToList();
        Assert.True(pieces.Count > 3);
        Assert.StartsWith("## Doses\n\nTable 2. Doses\n\n| No. | Drug | Dose |\n| --- | --- | --- |\n| 1 |", pieces[0].Text, StringComparison.Ordinal);
        Assert.All(pieces.Skip(1), p => Assert.StartsWith("Table 2. Doses\n\n| No. | Drug | Dose |\n| --- | --- | --- |\n", p.Text, StringComparison.Ordinal));
        var renderedRows = pieces.SelectMany(p => p.Text.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| No.", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal)));
        Assert.Equal(rows.Select(r => $"| {r[0]} | {r[1]} | {r[2]} |"), renderedRows);
        Assert.Equal(document.Blocks[1].End, pieces[^1].CharEnd);
        Assert.Equal("After the table.", chunks[^1].Text);
    }

    [Fact]
    public void A_single_table_row_larger_than_the_maximum_is_cut_by_tokens_as_a_last_resort()
    {
        var giant = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"word{i}"));
        var table = new TableBlock(["Key", "Value"], [["a", "short"], ["b", giant], ["c", "short too"]]);
        var document = new NormalizedDocumentBuilder().Paragraph("Intro.").Table(table).Build();
        var options = new ChunkingOptions { TargetTokens = 96, MaxTokens = 128, OverlapTokens = 0 };

        var chunks = _chunker.Chunk(document, options);

        AssertInvariants(document, chunks, options);
        var tableChunks = chunks.Where(c => c.Kind == ChunkKind.Table).ToList();
        Assert.True(tableChunks.Count >= Counter.Count(giant) / options.MaxTokens);
        Assert.All(tableChunks, c => Assert.StartsWith("| Key | Value |\n| --- | --- |\n", c.Text, StringComparison.Ordinal));
        Assert.Contains(tableChunks, c => c.Text.EndsWith("| c | short too |", StringComparison.Ordinal));
    }

    [Fact]
    public void A_mixed_generated_document_keeps_every_invariant()
    {
        var document = MixedDocument(seed: 11, sections: 40);
        var options = new ChunkingOptions { TargetTokens = 128, MaxTokens = 160, OverlapTokens = 24 };

        var chunks = _chunker.Chunk(document, options);

        AssertInvariants(document, chunks, options);
        Assert.Contains(chunks, c => c.Kind == ChunkKind.Table);
        Assert.Contains(chunks, c => c.Kind == ChunkKind.List);
        Assert.Contains(chunks, c => c.Kind == ChunkKind.Paragraph);
    }

    [Fact]
    public void A_large_document_chunked_in_parallel_gives_the_same_chunks_as_its_opening_part_chunked_sequentially()
    {
        var document = MixedDocument(seed: 5, sections: 400);
        Assert.True(document.Text.Length > 256 * 1024, "the document must be large enough to take the parallel path");
        var options = new ChunkingOptions();

        var whole = _chunker.Chunk(document, options);

        AssertInvariants(document, whole, options);
        var blocks = document.Blocks;
        var cut = Enumerable.Range(1, blocks.Count - 1).First(i => blocks[i].Kind == BlockKind.Heading && blocks[i].HeadingLevel == 1 && blocks[i].Start > 20_000);
        var opening = new NormalizedDocument(document.MediaType, document.Title, document.Text[..blocks[cut - 1].End], blocks.Take(cut).ToArray(), document.PageCount, []);
        Assert.True(opening.Text.Length < 256 * 1024, "the opening part must be small enough to take the sequential path");
        var alone = _chunker.Chunk(opening, options);
        Assert.Equal(alone, whole.Take(alone.Count));
        Assert.True(whole[alone.Count].CharStart >= blocks[cut].Start);
    }

    [Fact]
    public void A_block_outside_the_text_is_rejected_with_a_clear_error()
    {
        var document = new NormalizedDocument("text/plain", null, "short", [new NormalizedBlock(BlockKind.Paragraph, 0, 50, null, "")], null, []);

        var error = Assert.Throws<HanlinException>(() => _chunker.Chunk(document, new ChunkingOptions()));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("Block 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_document_has_no_chunks()
    {
        var document = new NormalizedDocument("text/plain", null, string.Empty, [], null, []);

        Assert.Empty(_chunker.Chunk(document, new ChunkingOptions()));
    }

    internal static void AssertInvariants(NormalizedDocument document, IReadOnlyList<ChunkDraft> chunks, ChunkingOptions options)
    {
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            Assert.Equal(i, chunk.Ordinal);
            Assert.True(chunk.CharStart < chunk.CharEnd, $"chunk {i} is empty");
            var span = document.Text[chunk.CharStart..chunk.CharEnd];
            if (chunk.Kind == ChunkKind.Table && chunk.Text != span)
            {
                // A piece of a split table: its span covers its rows, its text adds the header and context.
                Assert.All(span.Split('\n'), line => Assert.Contains(line, chunk.Text, StringComparison.Ordinal));
            }
            else
            {
                Assert.Equal(span, chunk.Text);
            }

            Assert.Equal(Counter.Count(chunk.Text), chunk.TokenCount);
            Assert.True(chunk.TokenCount <= options.MaxTokens, $"chunk {i} has {chunk.TokenCount} tokens, over {options.MaxTokens}");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(chunk.Text))), chunk.ContentHash);
            Assert.Equal(SimHasher.Compute(chunk.Text), chunk.SimHash);
            if (i > 0)
            {
                Assert.True(chunk.CharStart >= chunks[i - 1].CharStart, $"chunk {i} starts before chunk {i - 1}");
            }

            foreach (var block in document.Blocks)
            {
                if (block.Kind != BlockKind.Heading && block.Start < chunk.CharEnd && block.End > chunk.CharStart)
                {
                    Assert.Equal(block.SectionPath, chunk.SectionPath);
                    Assert.InRange(block.Page ?? 0, chunk.PageStart ?? 0, chunk.PageEnd ?? 0);
                }
            }
        }
    }

    private static NormalizedDocument Leaflet() => new NormalizedDocumentBuilder()
        .Heading(1, "阿莫西林胶囊说明书")
        .Heading(2, "成分")
        .Paragraph("本品主要成分为阿莫西林。其化学名称为(2S,5R,6R)-3,3-二甲基-6-[(R)-(-)-2-氨基-2-(4-羟基苯基)乙酰氨基]-7-氧代-4-硫杂-1-氮杂双环[3.2.0]庚烷-2-甲酸三水合物。")
        .Heading(2, "适应症")
        .Paragraph("适用于敏感菌（不产β内酰胺酶菌株）所致的下列感染：中耳炎、鼻窦炎、咽炎、扁桃体炎等上呼吸道感染。泌尿生殖道感染。皮肤软组织感染。急性支气管炎、肺炎等下呼吸道感染。")
        .Heading(2, "禁忌")
        .Paragraph("青霉素过敏及青霉素皮肤试验阳性患者禁用。")
        .Heading(2, "用法用量")
        .Heading(3, "成人")
        .Paragraph("成人一次0.5g，每6～8小时1次，一日剂量不超过4g。")
        .Heading(3, "儿童")
        .OnPage(2)
        .Table(ChildDoseTable())
        .Heading(2, "不良反应")
        .ListItem("过敏反应：皮疹、荨麻疹。")
        .ListItem("消化道反应：恶心、呕吐、腹泻。")
        .ListItem("偶见血清转氨酶升高。")
        .Heading(2, "注意事项")
        .Heading(2, "贮藏")
        .Paragraph("遮光，密封，在干燥处保存。")
        .Build();

    private static TableBlock ChildDoseTable() => new(
        ["体重", "剂量", "频次"],
        [["<20 kg", "20 mg/kg", "每8小时1次"], ["≥20 kg", "0.25 g", "每8小时1次"]],
        "表1 儿童剂量");

    private static string EnglishParagraph(int sentences, int seed)
    {
        var random = new Random(seed);
        string[] subjects = ["The patient", "This medicine", "Your doctor", "The tablet", "Each dose", "The clinical trial"];
        string[] verbs = ["should be taken", "may reduce", "was shown to lower", "must not be combined with", "can increase"];
        string[] objects = ["blood pressure in adults", "the risk of stroke", "alcohol or other sedatives", "symptoms within two weeks", "the effect of warfarin"];
        var sb = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(subjects[random.Next(subjects.Length)]).Append(' ').Append(verbs[random.Next(verbs.Length)]).Append(' ')
              .Append(objects[random.Next(objects.Length)]).Append(" (study ").Append(random.Next(1, 500)).Append(", 0.").Append(random.Next(10)).Append(" mg).");
        }

        return sb.ToString();
    }

    private static NormalizedDocument MixedDocument(int seed, int sections)
    {
        var random = new Random(seed);
        var chinese = "患者应在医生指导下服用本品每日两次饭后温水送服肾功能不全者慎用肝功能衰竭者禁用临床试验表明成人和儿童血压降低";
        string ChineseSentence()
        {
            var sb = new StringBuilder();
            var length = random.Next(8, 60);
            for (var i = 0; i < length; i++)
            {
                sb.Append(chinese[random.Next(chinese.Length)]);
                if (random.Next(15) == 0)
                {
                    sb.Append('，');
                }
            }

            return sb.Append("。！？；"[random.Next(4)]).ToString();
        }

        var builder = new NormalizedDocumentBuilder();
        for (var s = 0; s < sections; s++)
        {
            builder.OnPage(1 + (s / 3));
            builder.Heading(s % 4 == 0 ? 1 : 2, $"第{s}节");
            var blocks = random.Next(1, 8);
            for (var b = 0; b < blocks; b++)
            {
                switch (random.Next(10))
                {
                    case < 6:
                        builder.Paragraph(random.Next(2) == 0 ? EnglishParagraph(random.Next(1, 12), random.Next()) : string.Concat(Enumerable.Range(0, random.Next(1, 10)).Select(_ => ChineseSentence())));
                        break;
                    case < 8:
                        for (var i = random.Next(2, 12); i > 0; i--)
                        {
                            builder.ListItem(ChineseSentence());
                        }

                        break;
                    default:
                        var rows = Enumerable.Range(0, random.Next(1, 40)).Select(r => (IReadOnlyList<string>)[$"{r}", ChineseSentence(), $"{random.Next(1000)} mg"]).ToArray();
                        builder.Table(new TableBlock(["序号", "说明", "剂量"], rows, random.Next(2) == 0 ? $"表{s}" : null));
                        break;
                }
            }
        }

        return builder.Build();
    }
}
