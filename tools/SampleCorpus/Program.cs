using SampleCorpus;
using SampleCorpus.Content;
using SampleCorpus.Writers;

// Usage (from the repository root): dotnet run --project tools/SampleCorpus -- samples
var root = args.Length > 0 ? args[0] : "samples";

var files = new (string Path, byte[] Bytes)[]
{
    ("medical/metformin-leaflet.en.docx", DocxWriter.Write(MetforminLeaflet.Title, MetforminLeaflet.Blocks)),
    ("medical/drug-interaction-table.xlsx", XlsxWriter.Write(DrugInteractionWorkbook.Title, DrugInteractionWorkbook.Sheets)),
    ("medical/anticoagulant-guide.en.pdf", PdfWriter.Write(AnticoagulantGuide.Title, AnticoagulantGuide.RunningHeader, AnticoagulantGuide.Blocks)),
    ("finance/投资者适当性管理办法.zh.docx", DocxWriter.Write(SuitabilityRules.Title, SuitabilityRules.Blocks)),
    ("finance/fund-fee-schedule.xlsx", XlsxWriter.Write(FundFeeWorkbook.Title, FundFeeWorkbook.Sheets)),
    ("finance/risk-disclosure-statement.en.pdf", PdfWriter.Write(RiskDisclosureStatement.Title, RiskDisclosureStatement.RunningHeader, RiskDisclosureStatement.Blocks)),
};

foreach (var (relative, bytes) in files)
{
    var path = Path.Combine(root, relative);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllBytes(path, bytes);
    Console.WriteLine($"{relative}: {bytes.Length} bytes; {SampleVerifier.Describe(path)}");
}

var problems = QuestionChecker.Check(root);
foreach (var problem in problems)
{
    Console.Error.WriteLine(problem);
}

return problems.Count == 0 ? 0 : 1;
