namespace Hanlin.Rag.Text;

/// <summary>Decides whether a question is Chinese ("zh") or English ("en") from its characters.</summary>
public static class LanguageDetector
{
    /// <summary>
    /// "zh" when CJK ideographs make up at least a fifth of the letters (mixed questions such as
    /// "INR 目标范围是多少" are Chinese), otherwise "en".
    /// </summary>
    public static string Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int cjk = 0, latin = 0;
        foreach (var c in text)
        {
            if (c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF')
            {
                cjk++;
            }
            else if (char.IsLetter(c))
            {
                latin++;
            }
        }

        // A CJK ideograph carries about as much as a short English word, hence the low share needed.
        return cjk > 0 && cjk * 5 >= cjk + latin ? "zh" : "en";
    }

    /// <summary>Normalises a forced language ("zh", "zh-CN", "en-US", ...) to "zh" or "en"; null when absent.</summary>
    public static string? Normalize(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return null;
        }

        return language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh" : "en";
    }
}
