using System.Globalization;
using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Hanlin.Ingestion.Tests.Formats.Pdf;

/// <summary>Real PDF files written with PdfPig's builder (standard 14 fonts, A4 portrait) for extractor tests.</summary>
internal static class PdfFixtures
{
    private const double PageWidth = 595;
    private const double PageHeight = 842;
    private const double Leading = 13;

    /// <summary>
    /// A report of <paramref name="pageCount"/> pages, each with the running header "Hanlin Quarterly Report",
    /// the footer "Page n of N", an 18 pt heading "Section n" and 10 pt body text. Page 1 breaks
    /// "pharma-cokinetics" and "COVID-19" across lines and uses "well-known" inside a line; page 3 breaks
    /// "well-known" across lines.
    /// </summary>
    public static byte[] Report(int pageCount, string? title = null)
    {
        using var builder = new PdfDocumentBuilder();
        if (title is not null)
        {
            builder.DocumentInformation.Title = title;
        }

        var body = builder.AddStandard14Font(Standard14Font.Helvetica);
        var bold = builder.AddStandard14Font(Standard14Font.HelveticaBold);
        for (var n = 1; n <= pageCount; n++)
        {
            var page = builder.AddPage(PageWidth, PageHeight);
            page.AddText("Hanlin Quarterly Report", 9, new PdfPoint(60, 805), body);
            page.AddText(string.Create(CultureInfo.InvariantCulture, $"Page {n} of {pageCount}"), 9, new PdfPoint(260, 30), body);
            page.AddText(string.Create(CultureInfo.InvariantCulture, $"Section {n}"), 18, new PdfPoint(60, 740), bold);

            string[] lines = n == 1
                ? [
                    "The study measured the pharma-",
                    "cokinetics of the new compound in healthy adults over twelve weeks",
                    "and compared them with well-known reference markers. Hospital admissions for COVID-",
                    "19 fell during the observation period, which the authors attribute to",
                    "the vaccination campaign that ran in parallel with the trial.",
                ]
                : [
                    string.Create(CultureInfo.InvariantCulture, $"Body text of section {n} describes the findings of the quarter in plain"),
                    "language, with enough words on every line to look like ordinary prose written",
                    "by a person who reports on clinical operations for the board of directors.",
                ];
            if (n == 3)
            {
                lines = [.. lines, "The board called the outcome of the quarter well-", "known to everyone and asked for more detail."];
            }

            var y = 710.0;
            foreach (var line in lines)
            {
                page.AddText(line, 10, new PdfPoint(60, y), body);
                y -= Leading;
            }
        }

        return builder.Build();
    }

    /// <summary>Pages with one body line each, "- n -" at the top and a bare "n" at the bottom.</summary>
    public static byte[] NumberedPages(int pageCount)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        string[] bodies = ["First page body text.", "Second page body text.", "Third page body text."];
        for (var n = 1; n <= pageCount; n++)
        {
            var page = builder.AddPage(PageWidth, PageHeight);
            page.AddText(string.Create(CultureInfo.InvariantCulture, $"- {n} -"), 9, new PdfPoint(290, 810), font);
            page.AddText(bodies[n - 1], 11, new PdfPoint(60, 700), font);
            page.AddText(n.ToString(CultureInfo.InvariantCulture), 9, new PdfPoint(295, 30), font);
        }

        return builder.Build();
    }

    /// <summary>One page with two columns of prose; every left-column line contains "alpha", every right one "omega".</summary>
    public static byte[] TwoColumns()
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.TimesRoman);
        var page = builder.AddPage(PageWidth, PageHeight);
        string[] left =
        [
            "Left alpha opens the first column of",
            "this page and keeps alpha going for",
            "several lines of text so that layout",
            "analysis sees alpha as one column of",
            "ordinary prose that a reader reads first.",
        ];
        string[] right =
        [
            "Right omega starts the second column",
            "and continues omega across as many",
            "lines as its neighbour so the two are",
            "side by side, with omega only in the",
            "column that a reader reads second.",
        ];
        for (var i = 0; i < left.Length; i++)
        {
            page.AddText(left[i], 11, new PdfPoint(60, 700 - (i * Leading)), font);
            page.AddText(right[i], 11, new PdfPoint(320, 700 - (i * Leading)), font);
        }

        return builder.Build();
    }

    /// <summary>Page 1 has text; page 2 holds only an image, like a scanned page.</summary>
    public static byte[] TextThenImageOnly()
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var first = builder.AddPage(PageWidth, PageHeight);
        first.AddText("This page has a text layer.", 12, new PdfPoint(60, 700), font);
        var scan = builder.AddPage(PageWidth, PageHeight);
        scan.AddPng(PngImage.Checkerboard(32, 32), new PdfRectangle(60, 300, 500, 740));
        return builder.Build();
    }

    /// <summary>A page with a three-column table of drug, dose (mg) and half-life (h), ruled by whitespace.</summary>
    public static byte[] DoseTable()
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageWidth, PageHeight);
        page.AddText("Table 1 lists the doses used in the study and their half-lives.", 10, new PdfPoint(60, 740), font);
        string[][] rows =
        [
            ["Drug", "Dose (mg)", "Half-life (h)"],
            ["Aspirin", "81", "3.1"],
            ["Ibuprofen", "400", "2.0"],
            ["Metformin", "500", "6.2"],
            ["Atorvastatin", "20", "14.0"],
        ];
        var y = 700.0;
        foreach (var row in rows)
        {
            page.AddText(row[0], 10, new PdfPoint(60, y), font);
            page.AddText(row[1], 10, new PdfPoint(260, y), font);
            page.AddText(row[2], 10, new PdfPoint(400, y), font);
            y -= 16;
        }

        return builder.Build();
    }

    /// <summary>
    /// A minimal, well-formed PDF whose trailer names a standard-security /Encrypt dictionary with
    /// made-up keys, so no password (not even the empty one) opens it. PdfPig cannot write encryption.
    /// </summary>
    public static byte[] Encrypted()
    {
        var o = new string('A', 64);
        var u = new string('B', 64);
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
            $"<< /Filter /Standard /V 1 /R 2 /O <{o}> /U <{u}> /P -44 >>",
            "<< /Length 8 >>\nstream\n12345678\nendstream",
        ];
        var sb = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(sb.Length);
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = sb.Length;
        sb.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\n");
        sb.Append(CultureInfo.InvariantCulture, $"startxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
