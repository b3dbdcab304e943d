using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using W = DocumentFormat.OpenXml.Wordprocessing;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace Hanlin.Cli.Bench;

/// <summary>
/// Writes deterministic synthetic documents for benchmarks: varied sentences (so near-duplicate detection
/// does not shortcut the work), mixed English and Chinese, headings every few paragraphs.
/// </summary>
internal sealed class SyntheticCorpus
{
    private static readonly string[] EnglishWords =
        ("patient dose tablet interaction warfarin aspirin renal hepatic clearance monitor bleeding risk fund " +
         "bond yield redemption fee share class volatility disclosure liquidity investor portfolio coupon " +
         "maturity contraindicated adverse reaction elderly pregnancy dosage daily weekly quarter annual report " +
         "revenue margin growth capital reserve audit compliance regulation clinical trial placebo efficacy").Split(' ');

    private static readonly string[] ChineseWords =
        ("患者 剂量 片剂 相互作用 华法林 阿司匹林 肾功能 肝功能 清除率 监测 出血 风险 基金 债券 收益率 赎回 费率 " +
         "份额 波动 披露 流动性 投资者 组合 票息 到期 禁忌 不良反应 老年人 妊娠 用法用量 每日 季度 年度 报告 营业收入").Split(' ');

    private readonly Random _random;
    private readonly int _chineseOneIn;

    /// <param name="seed">Makes the corpus reproducible.</param>
    /// <param name="chineseShare">Fraction of sentences written in Chinese (0 = English only).</param>
    public SyntheticCorpus(int seed, double chineseShare = 1 / 3.0)
    {
        _random = new Random(seed);
        _chineseOneIn = chineseShare <= 0 ? 0 : (int)Math.Round(1 / chineseShare);
    }

    public string Sentence()
    {
        var sb = new StringBuilder();
        var chinese = _chineseOneIn > 0 && _random.Next(_chineseOneIn) == 0;
        var words = _random.Next(8, 22);
        for (var i = 0; i < words; i++)
        {
            if (chinese)
            {
                sb.Append(ChineseWords[_random.Next(ChineseWords.Length)]);
                if (i % 5 == 4 && i < words - 1)
                {
                    sb.Append('，');
                }
            }
            else
            {
                if (i > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(EnglishWords[_random.Next(EnglishWords.Length)]);
                if (_random.Next(10) == 0)
                {
                    sb.Append(' ').Append(_random.Next(1, 1000));
                }
            }
        }

        sb.Append(chinese ? '。' : '.');
        return sb.ToString();
    }

    public string Paragraph(int sentences)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(Sentence());
        }

        return sb.ToString();
    }

    /// <summary>
    /// A Markdown document of about <paramref name="bytes"/> UTF-8 bytes shaped like a handbook: numbered
    /// sections (## with Chinese and English titles) with ### subsections, paragraphs, bullet lists and
    /// small tables, so chunking meets every block kind in about the mix real manuals have (by bytes roughly
    /// 75% paragraphs, 15% lists, 10% tables).
    /// </summary>
    public void WriteMarkdown(string path, long bytes)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        long written = 0;
        var section = 0;
        var block = new StringBuilder();
        while (written < bytes)
        {
            section++;
            block.Append("## 第").Append(section).Append("节 Section ").Append(section).Append("\n\n");
            for (var sub = 1; sub <= 2 && written + block.Length < bytes; sub++)
            {
                if (sub > 1 || _random.Next(2) == 0)
                {
                    block.Append("### ").Append(section).Append('.').Append(sub).Append(' ').Append(ChineseWords[_random.Next(ChineseWords.Length)]).Append(' ').Append(EnglishWords[_random.Next(EnglishWords.Length)]).Append("\n\n");
                }

                for (var p = 0; p < 3; p++)
                {
                    block.Append(Paragraph(_random.Next(3, 8))).Append("\n\n");
                }

                switch (_random.Next(4))
                {
                    case 0:
                        AppendList(block);
                        break;
                    case 1:
                        AppendTable(block);
                        break;
                    default:
                        break;
                }
            }

            var text = block.ToString();
            writer.Write(text);
            written += Encoding.UTF8.GetByteCount(text);
            block.Clear();
        }
    }

    /// <summary>
    /// A plain-text document of about <paramref name="bytes"/> UTF-8 bytes: the same sentences as
    /// <see cref="WriteMarkdown"/> in paragraphs separated by blank lines, with no markup at all.
    /// </summary>
    public void WritePlainText(string path, long bytes)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        long written = 0;
        while (written < bytes)
        {
            var paragraph = Paragraph(_random.Next(3, 8)) + "\n\n";
            writer.Write(paragraph);
            written += Encoding.UTF8.GetByteCount(paragraph);
        }
    }

    private void AppendList(StringBuilder block)
    {
        var items = _random.Next(3, 7);
        for (var i = 0; i < items; i++)
        {
            block.Append("- ").Append(Sentence()).Append('\n');
        }

        block.Append('\n');
    }

    private void AppendTable(StringBuilder block)
    {
        block.Append("| 产品 Product | 份额 Class | 费率 Fee | 风险 Risk | 说明 Note |\n| --- | --- | --- | --- | --- |\n");
        var rows = _random.Next(4, 11);
        for (var r = 0; r < rows; r++)
        {
            block.Append("| ").Append(ChineseWords[_random.Next(ChineseWords.Length)]).Append(' ').Append(_random.Next(100, 999))
                .Append(" | ").Append((char)('A' + _random.Next(3)))
                .Append(" | ").Append((_random.Next(150) / 100.0).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)).Append('%')
                .Append(" | R").Append(_random.Next(1, 6))
                .Append(" | ").Append(_random.Next(3) == 0 ? Sentence() : EnglishWords[_random.Next(EnglishWords.Length)])
                .Append(" |\n");
        }

        block.Append('\n');
    }

    /// <summary>A text PDF with <paramref name="pages"/> pages of ~35 lines each (standard Helvetica, English only).</summary>
    public void WritePdf(string path, int pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var p = 0; p < pages; p++)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            page.AddText($"Section {p + 1}", 14, new UglyToad.PdfPig.Core.PdfPoint(50, 790), font);
            var y = 760.0;
            for (var line = 0; line < 35; line++)
            {
                page.AddText(EnglishLine(), 10, new UglyToad.PdfPig.Core.PdfPoint(50, y), font);
                y -= 20;
            }
        }

        File.WriteAllBytes(path, builder.Build());
    }

    /// <summary>A DOCX with headings and <paramref name="paragraphs"/> paragraphs.</summary>
    public void WriteDocx(string path, int paragraphs)
    {
        using var doc = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = doc.AddMainDocumentPart();
        var body = new Body();
        for (var i = 0; i < paragraphs; i++)
        {
            if (i % 10 == 0)
            {
                body.Append(new W.Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }), new W.Run(new W.Text($"Chapter {(i / 10) + 1}"))));
            }

            body.Append(new W.Paragraph(new W.Run(new W.Text(Paragraph(_random.Next(3, 7))))));
        }

        main.Document = new W.Document(body);
    }

    /// <summary>An XLSX with one sheet of <paramref name="rows"/> rows × 6 columns (inline strings and numbers).</summary>
    public void WriteXlsx(string path, int rows)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = doc.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var sheetPart = workbook.AddNewPart<WorksheetPart>();
        using (var writer = OpenXmlWriter.Create(sheetPart))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            WriteRow(writer, ["Product", "Class", "Fee", "Yield", "Risk", "Note"]);
            for (var r = 0; r < rows; r++)
            {
                WriteRow(writer, [$"Fund {r}", $"Class {(char)('A' + (r % 3))}", (r % 150 / 100.0).ToString("0.00"), (_random.NextDouble() * 5).ToString("0.000"), $"R{(r % 5) + 1}", Sentence()]);
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Fees" }));
    }

    private static void WriteRow(OpenXmlWriter writer, string[] values)
    {
        writer.WriteStartElement(new Row());
        foreach (var value in values)
        {
            writer.WriteElement(new X.Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new X.Text(value)) });
        }

        writer.WriteEndElement();
    }

    private string EnglishLine()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 14; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(EnglishWords[_random.Next(EnglishWords.Length)]);
        }

        return sb.Append('.').ToString();
    }
}
