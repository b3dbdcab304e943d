namespace SampleCorpus.Writers;

/// <summary>One block of a generated PDF; the text must use only characters of the WinAnsi encoding.</summary>
internal sealed record PdfBlock(PdfBlockKind Kind, string Text)
{
    public static PdfBlock Title(string text) => new(PdfBlockKind.Title, text);

    public static PdfBlock Heading(string text) => new(PdfBlockKind.Heading, text);

    public static PdfBlock Paragraph(string text) => new(PdfBlockKind.Paragraph, text);

    public static PdfBlock Bullet(string text) => new(PdfBlockKind.Bullet, text);
}
