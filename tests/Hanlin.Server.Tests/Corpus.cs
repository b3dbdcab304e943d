namespace Hanlin.Server.Tests;

/// <summary>A small medical and finance corpus in English and Chinese, written by the tests.</summary>
internal static class Corpus
{
    public const string Collection = "medicine";

    public static (string Name, string Content)[] Files { get; } =
    [
        ("aspirin.md", "# Aspirin tablets\n\n## Dosage\n\nThe usual adult dose of aspirin for pain is 300 to 600 mg every four hours.\n\n## Contraindications\n\nAspirin must not be given to children under 16 because of the risk of Reye's syndrome."),
        ("warfarin.zh.md", "# 华法林钠片\n\n## 用法用量\n\n华法林的常用起始剂量为每日2至5毫克，应根据国际标准化比值调整。\n\n## 药物相互作用\n\n与阿司匹林合用时出血风险增加。"),
        ("fund.md", "# Bond Fund\n\n## Redemption fees\n\nUnits held for less than 7 days pay a redemption fee of 1.5 percent."),
    ];

    public const string EnglishQuestion = "What is the usual adult dose of aspirin for pain?";
}
