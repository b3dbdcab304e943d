using System.Text;

namespace Hanlin.Ingestion.Formats.Text;

/// <summary>
/// RFC 4180 reader and delimiter detection. Hand-written: it is one small state machine, and the
/// library alternatives (CsvHelper, Sep) bring type mapping this needs none of while still leaving
/// the comma/semicolon/tab choice for Chinese Excel exports to us.
/// </summary>
internal static class CsvParser
{
    private const int LinesExamined = 20;
    private static readonly char[] Candidates = [',', '\t', ';'];

    /// <summary>
    /// Picks the delimiter whose count per record is the same non-zero number on the first records.
    /// <paramref name="consistent"/> is true only when at least three records agree, strong enough to call
    /// an unnamed file CSV. Returns '\0' when no candidate occurs at all.
    /// </summary>
    public static char DetectDelimiter(string sample, bool isWhole, out bool consistent, char preferred = '\0')
    {
        var counts = new List<int[]>();
        var current = new int[Candidates.Length];
        var inQuotes = false;
        var recordHasText = false;
        for (var i = 0; i < sample.Length && counts.Count < LinesExamined; i++)
        {
            var c = sample[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
                recordHasText = true;
            }
            else if (!inQuotes && c is '\n' or '\r')
            {
                if (recordHasText)
                {
                    counts.Add(current);
                    current = new int[Candidates.Length];
                }

                recordHasText = false;
            }
            else if (!inQuotes)
            {
                var k = Array.IndexOf(Candidates, c);
                if (k >= 0)
                {
                    current[k]++;
                }

                recordHasText = true;
            }
        }

        // A sample cut short may end inside a record; only a whole file's last record counts.
        if (recordHasText && isWhole && counts.Count < LinesExamined)
        {
            counts.Add(current);
        }

        consistent = false;
        var best = '\0';
        var bestScore = -1;
        for (var k = 0; k < Candidates.Length; k++)
        {
            var first = counts.Count > 0 ? counts[0][k] : 0;
            var allEqual = first > 0 && counts.TrueForAll(r => r[k] == first);
            var total = counts.Sum(r => r[k]);
            if (total == 0)
            {
                continue;
            }

            // Consistency dominates, then the preferred (extension-given) delimiter, then frequency.
            var score = (allEqual ? 1 << 29 : 0) + (Candidates[k] == preferred ? 1 << 28 : 0) + Math.Min(total, (1 << 28) - 1);
            if (score > bestScore)
            {
                bestScore = score;
                best = Candidates[k];
                consistent = allEqual && counts.Count >= 3;
            }
        }

        return best;
    }

    /// <summary>Parses all records; quoted fields may hold delimiters, doubled quotes and line breaks. Blank lines are skipped.</summary>
    public static List<List<string>> Parse(string text, char delimiter, CancellationToken cancellationToken = default)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var fieldStarted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    inQuotes = false;
                }
                else
                {
                    field.Append(c);
                }

                i++;
                continue;
            }

            if (c == '"' && field.Length == 0 && !fieldStarted)
            {
                inQuotes = true;
                fieldStarted = true;
            }
            else if (c == delimiter)
            {
                record.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
            }
            else if (c is '\n' or '\r')
            {
                EndRecord(records, ref record, field, fieldStarted);
                fieldStarted = false;
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                if ((records.Count & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            else
            {
                // A quote inside an unquoted field is kept literally (lenient, as spreadsheet tools are).
                field.Append(c);
                fieldStarted = true;
            }

            i++;
        }

        EndRecord(records, ref record, field, fieldStarted);
        return records;
    }

    private static void EndRecord(List<List<string>> records, ref List<string> record, StringBuilder field, bool fieldStarted)
    {
        if (record.Count == 0 && field.Length == 0 && !fieldStarted)
        {
            return;
        }

        record.Add(field.ToString());
        field.Clear();
        records.Add(record);
        record = [];
    }
}
