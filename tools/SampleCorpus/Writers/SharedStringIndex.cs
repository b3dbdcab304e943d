using DocumentFormat.OpenXml.Spreadsheet;

namespace SampleCorpus.Writers;

/// <summary>The workbook's shared-string table: each distinct text stored once, in first-use order.</summary>
internal sealed class SharedStringIndex
{
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly List<string> _texts = [];
    private int _references;

    public int IndexOf(string text)
    {
        _references++;
        if (!_indexes.TryGetValue(text, out var index))
        {
            index = _texts.Count;
            _indexes.Add(text, index);
            _texts.Add(text);
        }

        return index;
    }

    public SharedStringTable ToTable() =>
        new(_texts.Select(text => new SharedStringItem(new Text(text))))
        {
            Count = (uint)_references,
            UniqueCount = (uint)_texts.Count,
        };
}
