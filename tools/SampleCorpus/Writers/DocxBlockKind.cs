namespace SampleCorpus.Writers;

/// <summary>The kinds of block a generated Word document is made of.</summary>
internal enum DocxBlockKind
{
    Heading,
    Paragraph,
    NumberedList,
    BulletList,
    Table,
}
