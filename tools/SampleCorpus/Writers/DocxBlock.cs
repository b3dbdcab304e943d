namespace SampleCorpus.Writers;

/// <summary>One block of a generated Word document: a heading, a paragraph, a list or a table.</summary>
/// <param name="Kind">What the block is.</param>
/// <param name="Level">Heading level, 1 or 2; 0 for other kinds.</param>
/// <param name="Items">The heading or paragraph text (one item), or the list items.</param>
/// <param name="Rows">Table rows, the first being the header row; empty for other kinds.</param>
internal sealed record DocxBlock(DocxBlockKind Kind, int Level, IReadOnlyList<string> Items, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static DocxBlock Heading(int level, string text) => new(DocxBlockKind.Heading, level, [text], []);

    public static DocxBlock Paragraph(string text) => new(DocxBlockKind.Paragraph, 0, [text], []);

    public static DocxBlock Numbered(params string[] items) => new(DocxBlockKind.NumberedList, 0, items, []);

    public static DocxBlock Bullets(params string[] items) => new(DocxBlockKind.BulletList, 0, items, []);

    public static DocxBlock Table(params string[][] rows) => new(DocxBlockKind.Table, 0, [], rows);
}
