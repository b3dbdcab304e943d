using Hanlin.Ingestion.Chunking;
using Hanlin.Rag.Context;
using Hanlin.Rag.Text;
using Hanlin.Retrieval.Analysis;

namespace Hanlin.Rag.Tests;

/// <summary>
/// Evidence sentences get their terms from one analyzer pass over the whole chunk; these texts put every kind of
/// sentence boundary (CJK and Latin terminators, abbreviations, decimals, closing quotes, line breaks, table rows,
/// domain terms, mixed scripts) next to text the analyzer could join, and the one-pass terms must equal those of
/// analysing each sentence alone.
/// </summary>
public sealed class SentenceTermTests
{
    private static readonly ContentTerms Terms = new(new HanlinAnalyzer());
    private static readonly SentenceSplitter Splitter = new();

    public static TheoryData<string> Texts() =>
    [
        "阿司匹林肠溶片每片含阿司匹林100 mg。成人常用量为每日一次，每次100mg！儿童禁用？请遵医嘱；孕妇慎用…老年人减量。",
        "Take 2.5 mg twice daily. Do not exceed 10 mg.Warfarin interacts with aspirin (see Fig. 3). Dr. Smith, i.e. the author, agrees!",
        "The U.S. FDA approved it in 2024. e.g. \"Next.\" 'Quoted.' Then (brackets.) End... More text? Yes!Done.",
        "| 药品 | 剂量 | 频次 |\n|---|---|---|\n| 阿司匹林 | 100mg | qd |\n| warfarin | 2.5 mg | bid |",
        "糖尿病患者使用二甲双胍。Metformin is first-line.高血压患者使用氨氯地平\n\n  缩略语：ACEI、ARB。\r\n最后一行",
        "1. First item.\n2. Second item.\na. Sub item\niv. Roman item. J. Smith wrote it. approx. twice as much.",
        "「医保报销」需要处方。」他说：“每日三次。”然后离开。医疗器械注册证编号：国械注准20153010001。",
        "Patients' records, the patient's chart and children's doses: 5 mg/kg. v1.2 released; see www.example.com/page.html now.",
        "ＡＢＣ全角字符１２３。半角abc 123。混合English和中文text在一起。",
        "",
        "   \n\n  ",
        "no terminator at all but many words and numbers 3.14159 and 2,500 units",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void One_pass_sentence_terms_equal_those_of_each_sentence_analysed_alone(string text)
    {
        var spans = Splitter.Split(text);

        Assert.True(EvidenceAnalysis.TrySentenceTermsInOnePass(text, spans, Terms, out var onePass), "no term crosses a sentence boundary");
        var alone = EvidenceAnalysis.SentenceTermsOneByOne(text, spans, Terms);

        Assert.Equal(alone.Length, onePass.Length);
        for (var i = 0; i < alone.Length; i++)
        {
            Assert.True(alone[i].SetEquals(onePass[i]), $"sentence {i} '{text.Substring(spans[i].Start, spans[i].Length)}': [{string.Join(", ", alone[i].Order(StringComparer.Ordinal))}] vs [{string.Join(", ", onePass[i].Order(StringComparer.Ordinal))}]");
        }
    }

    [Fact]
    public void Every_paragraph_of_the_markdown_samples_gets_the_terms_of_its_sentences_analysed_alone()
    {
        var paragraphs = Directory.EnumerateFiles(SampleKnowledgeBase.SamplesFolder, "*.md", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadAllText(f).Split("\n\n"))
            .ToList();
        var onePassCount = 0;
        foreach (var text in paragraphs)
        {
            var spans = Splitter.Split(text);
            onePassCount += EvidenceAnalysis.TrySentenceTermsInOnePass(text, spans, Terms, out _) ? 1 : 0;
            var terms = EvidenceAnalysis.SentenceTerms(text, spans, Terms);
            var alone = EvidenceAnalysis.SentenceTermsOneByOne(text, spans, Terms);
            for (var i = 0; i < alone.Length; i++)
            {
                Assert.True(alone[i].SetEquals(terms[i]), $"'{text.Substring(spans[i].Start, spans[i].Length)}'");
            }
        }

        Assert.True(paragraphs.Count > 50, $"{paragraphs.Count} paragraphs");
        Assert.Equal(paragraphs.Count, onePassCount);
    }

    [Fact]
    public void Content_terms_of_a_text_are_distinct_in_order_and_leave_out_question_words()
    {
        var terms = Terms.Of("What is the dose of warfarin? 华法林的剂量是多少？ warfarin 2.5 mg");

        Assert.Equal(terms.Count, terms.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("warfarin", terms);
        Assert.Contains("2.5", terms);
        Assert.Contains("剂量", terms);
        Assert.DoesNotContain("what", terms);
        Assert.DoesNotContain("多少", terms);
        Assert.True(terms.ToList().IndexOf("warfarin") < terms.ToList().IndexOf("剂量"));
    }
}
