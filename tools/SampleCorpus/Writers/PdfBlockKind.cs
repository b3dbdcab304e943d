namespace SampleCorpus.Writers;

/// <summary>The kinds of block a generated PDF is made of.</summary>
internal enum PdfBlockKind
{
    Title,
    Heading,
    Paragraph,
    Bullet,
}
