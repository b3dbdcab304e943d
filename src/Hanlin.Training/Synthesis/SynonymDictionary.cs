using Hanlin.Core.Errors;

namespace Hanlin.Training.Synthesis;

/// <summary>
/// A user's domain synonyms for data augmentation: one term per line, <c>term&lt;TAB&gt;synonym1,synonym2</c>
/// (full-width commas and 、 also separate); blank lines and lines starting with <c>#</c> are skipped.
/// </summary>
public sealed class SynonymDictionary
{
    private readonly IReadOnlyList<(string Term, IReadOnlyList<string> Synonyms)> _entries;

    /// <summary>Creates a dictionary from term → synonyms pairs.</summary>
    public SynonymDictionary(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);

        // Longest terms first, so "acetylsalicylic acid" is replaced before "acid".
        _entries = [.. entries.Where(e => e.Key.Length > 0 && e.Value.Count > 0)
            .Select(e => (e.Key, (IReadOnlyList<string>)[.. e.Value.Where(s => s.Length > 0 && !string.Equals(s, e.Key, StringComparison.Ordinal))]))
            .Where(e => e.Item2.Count > 0)
            .OrderByDescending(e => e.Key.Length).ThenBy(e => e.Key, StringComparer.Ordinal)];
    }

    /// <summary>Number of terms.</summary>
    public int Count => _entries.Count;

    /// <summary>Reads a dictionary file.</summary>
    /// <exception cref="HanlinException"><c>file_not_found</c>; <c>invalid_argument</c> naming the first malformed line.</exception>
    public static async Task<SynonymDictionary> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The synonym dictionary '{path}' does not exist.");
        }

        var lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        var entries = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('\t', 2, StringSplitOptions.TrimEntries);
            var synonyms = parts.Length == 2 ? parts[1].Split([',', '，', '、'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            if (parts[0].Length == 0 || synonyms.Length == 0)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"Line {i + 1} of the synonym dictionary '{path}' is not 'term<TAB>synonym1,synonym2'.");
            }

            entries.Add(new(parts[0], synonyms));
        }

        return new SynonymDictionary(entries);
    }

    /// <summary>
    /// Variants of <paramref name="text"/> with the first dictionary term it contains (longest first) replaced by each
    /// of its synonyms, at most <paramref name="limit"/>; empty when no term occurs.
    /// </summary>
    public IReadOnlyList<string> Variants(string text, int limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (term, synonyms) in _entries)
        {
            var at = text.IndexOf(term, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                return [.. synonyms.Take(limit).Select(s => string.Concat(text.AsSpan(0, at), s, text.AsSpan(at + term.Length)))];
            }
        }

        return [];
    }
}
