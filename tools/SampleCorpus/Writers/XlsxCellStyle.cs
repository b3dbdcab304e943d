namespace SampleCorpus.Writers;

/// <summary>Cell formats of a generated workbook; the values are indexes into the stylesheet's cellXfs.</summary>
internal enum XlsxCellStyle
{
    General = 0,
    Header = 1,
    Date = 2,
    Percent = 3,
    Wrapped = 4,
}
