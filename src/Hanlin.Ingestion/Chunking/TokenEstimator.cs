using System.Runtime.CompilerServices;

namespace Hanlin.Ingestion.Chunking;

/// <summary>
/// A cheap, approximate cl100k token count from character classes, ~20x faster than tokenising. Used
/// only to pack units into chunks; every chunk is then counted exactly once. Callers scale it by a
/// factor calibrated on the document, so only its relative accuracy across scripts matters.
/// </summary>
internal static class TokenEstimator
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Estimate(ReadOnlySpan<char> text)
    {
        var tokens = 0.0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiLetter(c))
            {
                // An English word is one token up to ~4 letters, then about one more per 4 letters.
                var start = i;
                while (i < text.Length && char.IsAsciiLetter(text[i]))
                {
                    i++;
                }

                tokens += 0.3 + ((i - start) * 0.25);
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                // cl100k splits digit runs into groups of at most three.
                tokens += (i - start + 2) / 3;
                continue;
            }

            i++;
            tokens += c switch
            {
                ' ' or '\t' => 0.0,
                '\n' or '\r' => 0.5,
                >= '\u4E00' and <= '\u9FFF' => 1.3,
                >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF' => 1.0,
                >= '\u3040' and <= '\u30FF' or >= '\u3400' and <= '\u4DBF' or >= '\uAC00' and <= '\uD7AF' => 1.3,
                < '\u0080' => 0.8,
                _ when char.IsLowSurrogate(c) => 0.0,
                _ when char.IsHighSurrogate(c) => 2.0,
                _ => 0.6,
            };
        }

        return tokens;
    }
}
