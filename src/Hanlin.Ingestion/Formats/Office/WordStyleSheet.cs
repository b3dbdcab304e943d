using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Paragraph styles of a DOCX (styles.xml) resolved to what extraction needs: the heading level a style
/// implies (outline level, or a built-in/localised "Heading N"/"Title" name, inherited through basedOn)
/// and the list numbering a style carries.
/// </summary>
internal sealed partial class WordStyleSheet
{
    // basedOn chains are short in practice; the cap only stops cycles in hostile files.
    private const int MaxInheritanceDepth = 16;

    private readonly Dictionary<string, Style> _styles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _headingLevels = new(StringComparer.Ordinal);

    public WordStyleSheet(Styles? styles)
    {
        if (styles is null)
        {
            return;
        }

        foreach (var style in styles.Elements<Style>())
        {
            var id = style.StyleId?.Value;
            if (id is null || (style.Type is not null && style.Type.Value != StyleValues.Paragraph))
            {
                continue;
            }

            _styles.TryAdd(id, style);
            if (style.Default?.Value == true)
            {
                DefaultStyleId ??= id;
            }
        }
    }

    /// <summary>The style of paragraphs that name none.</summary>
    public string? DefaultStyleId { get; }

    /// <summary>Heading level 1-9 implied by the style, or 0 when it is body text.</summary>
    public int HeadingLevel(string? styleId)
    {
        styleId ??= DefaultStyleId;
        if (styleId is null)
        {
            return 0;
        }

        if (!_headingLevels.TryGetValue(styleId, out var level))
        {
            level = ResolveHeadingLevel(styleId, 0);
            _headingLevels[styleId] = level;
        }

        return level;
    }

    /// <summary>The numbering (numId, level) a style applies to its paragraphs, if any.</summary>
    public (int NumberingId, int Level)? Numbering(string? styleId)
    {
        styleId ??= DefaultStyleId;
        for (var depth = 0; styleId is not null && depth < MaxInheritanceDepth; depth++)
        {
            if (!_styles.TryGetValue(styleId, out var style))
            {
                return null;
            }

            var numbering = style.StyleParagraphProperties?.NumberingProperties;
            if (numbering?.NumberingId?.Val is { } numId)
            {
                return numId.Value == 0 ? null : (numId.Value, numbering.NumberingLevelReference?.Val?.Value ?? 0);
            }

            styleId = style.BasedOn?.Val?.Value;
        }

        return null;
    }

    private int ResolveHeadingLevel(string styleId, int depth)
    {
        if (depth >= MaxInheritanceDepth || !_styles.TryGetValue(styleId, out var style))
        {
            return LevelFromName(styleId);
        }

        if (style.StyleParagraphProperties?.OutlineLevel?.Val?.Value is { } outline)
        {
            // Outline level 9 (and anything out of range) is "body text".
            return outline is >= 0 and <= 8 ? outline + 1 : 0;
        }

        var fromName = LevelFromName(style.StyleName?.Val?.Value ?? styleId);
        if (fromName == 0)
        {
            fromName = LevelFromName(styleId);
        }

        if (fromName > 0)
        {
            return fromName;
        }

        var basedOn = style.BasedOn?.Val?.Value;
        return basedOn is null ? 0 : ResolveHeadingLevel(basedOn, depth + 1);
    }

    private static int LevelFromName(string name)
    {
        var match = HeadingName().Match(name.Trim());
        if (match.Success)
        {
            return match.Groups[1].Value[0] - '0';
        }

        return TitleName().IsMatch(name.Trim()) ? 1 : 0;
    }

    // Word stores built-in names in English ("heading 1"), but documents written by localised editors
    // (WPS, LibreOffice, older Word) carry the translated name.
    [GeneratedRegex(@"^(?:heading|标题|標題|titre|überschrift|título|titolo|kop|nagłówek|заголовок|見出し|제목)\s*([1-9])$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeadingName();

    [GeneratedRegex(@"^(?:title|标题|標題|titre|titel|título|titolo|заголовок|表題|제목)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TitleName();
}
