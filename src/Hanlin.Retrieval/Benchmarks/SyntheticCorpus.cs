using System.Text;

namespace Hanlin.Retrieval.Benchmarks;

/// <summary>
/// Deterministic mixed Chinese/English text and query generator for benchmarks: words drawn from a fixed
/// vocabulary with a Zipf-like skew (a few words common, most rare), as in real corpora, so posting-list
/// lengths and BM25 work per query resemble a real knowledge base. Used by <c>hanlin bench search</c> and
/// <c>hanlin bench serve</c>, so the in-process and over-HTTP figures come from the same kind of corpus.
/// </summary>
public sealed class SyntheticCorpus
{
    private static readonly string[] ChineseRoots =
    [
        "阿司匹林", "华法林", "布洛芬", "禁忌", "剂量", "不良反应", "患者", "治疗", "出血", "肝功能", "肾功能", "妊娠",
        "儿童", "老年人", "高血压", "糖尿病", "心肌梗死", "市盈率", "净资产收益率", "营业收入", "净利润", "现金流",
        "资产负债率", "股息", "估值", "风险", "合同", "违约", "责任", "仲裁", "诉讼", "条款", "法院", "监管", "报告",
        "年度", "季度", "增长", "下降", "分析", "指标", "标准", "规定", "要求", "方法", "结果", "研究", "数据", "系统",
        "服务", "管理", "质量", "安全", "检查", "诊断", "症状", "药物", "相互作用", "说明书", "用法", "用量", "口服",
    ];

    private static readonly string[] EnglishRoots =
    [
        "aspirin", "warfarin", "ibuprofen", "contraindication", "dose", "adverse", "reaction", "patient", "treatment",
        "bleeding", "liver", "kidney", "pregnancy", "children", "elderly", "hypertension", "diabetes", "revenue",
        "profit", "cash", "flow", "ratio", "equity", "return", "dividend", "valuation", "risk", "contract", "breach",
        "liability", "arbitration", "court", "clause", "regulation", "report", "annual", "quarter", "growth", "decline",
        "analysis", "metric", "standard", "method", "result", "study", "data", "system", "service", "quality", "safety",
        "diagnosis", "symptom", "drug", "interaction", "label", "oral", "tablet", "clinical", "trial", "evidence",
    ];

    private readonly Random _random;
    private readonly string[] _vocabulary;
    private readonly double[] _cumulative;

    /// <summary>A generator whose output depends only on <paramref name="seed"/> and <paramref name="vocabularySize"/>.</summary>
    public SyntheticCorpus(int seed, int vocabularySize = 20_000)
    {
        _random = new Random(seed);

        // Roots plus numbered variants give a long tail of rare terms; variants of Chinese roots get a
        // distinct CJK suffix so they analyse into distinct bigrams.
        var words = new List<string>(vocabularySize);
        words.AddRange(ChineseRoots);
        words.AddRange(EnglishRoots);
        for (var i = 0; words.Count < vocabularySize; i++)
        {
            words.Add(i % 2 == 0
                ? ChineseRoots[i % ChineseRoots.Length] + (char)('甲' + (i / 2 % 400))
                : EnglishRoots[i % EnglishRoots.Length] + "x" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        _vocabulary = [.. words.OrderBy(_ => _random.Next())];
        _cumulative = new double[_vocabulary.Length];
        var total = 0.0;
        for (var i = 0; i < _vocabulary.Length; i++)
        {
            total += 1.0 / (i + 1);
            _cumulative[i] = total;
        }

        for (var i = 0; i < _cumulative.Length; i++)
        {
            _cumulative[i] /= total;
        }
    }

    /// <summary>One word drawn with Zipf weights (rank r has weight 1/r).</summary>
    public string Word()
    {
        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return _vocabulary[Math.Min(index < 0 ? ~index : index, _vocabulary.Length - 1)];
    }

    /// <summary>A chunk of <paramref name="words"/> words, Chinese words run together, English words spaced.</summary>
    public string Text(int words)
    {
        var text = new StringBuilder(words * 4);
        for (var i = 0; i < words; i++)
        {
            var word = Word();
            if (word[0] < 0x80)
            {
                text.Append(' ').Append(word).Append(' ');
            }
            else
            {
                text.Append(word);
            }

            if (_random.Next(12) == 0)
            {
                text.Append(_random.Next(2) == 0 ? "。" : ". ");
                text.Append(_random.Next(2000, 2026)).Append(' ');
            }
        }

        return text.ToString();
    }

    /// <summary>A query of two to five words.</summary>
    public string Query() => string.Join(' ', Enumerable.Range(0, _random.Next(2, 6)).Select(_ => Word()));

    /// <summary>A number from the corpus's own random sequence, below <paramref name="maxExclusive"/>.</summary>
    public int Next(int maxExclusive) => _random.Next(maxExclusive);
}
