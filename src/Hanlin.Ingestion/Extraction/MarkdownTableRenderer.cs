using System.Text;

namespace Hanlin.Ingestion.Extraction;

/// <summary>Renders a table (or a slice of its rows) as a GitHub-flavoured Markdown pipe table.</summary>
public static class MarkdownTableRenderer
{
    public static string Render(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        AppendRow(sb, header);
        sb.Append("\n|");
        for (var i = 0; i < header.Count; i++)
        {
            sb.Append(" --- |");
        }

        foreach (var row in rows)
        {
            sb.Append('\n');
            AppendRow(sb, row);
        }

        return sb.ToString();
    }

    public static string Render(TableBlock table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Render(table.Header, table.Rows);
    }

    private static void AppendRow(StringBuilder sb, IReadOnlyList<string> cells)
    {
        sb.Append('|');
        foreach (var cell in cells)
        {
            sb.Append(' ').Append(Escape(cell)).Append(" |");
        }
    }

    // A cell must stay on one line and must not close the cell early.
    private static string Escape(string cell) =>
        cell.Replace("\r\n", " ", StringComparison.Ordinal)
            .Replace('\n', ' ')
            .Replace('\r', ' ')
            .Replace("|", "\\|", StringComparison.Ordinal)
            .Trim();
}
