namespace Hanlin.Models.Tokenization;

/// <summary>
/// GPT-2's <c>bytes_to_unicode</c>: each byte maps to a printable character (printable Latin-1 bytes to themselves,
/// the rest to U+0100 upwards), so byte-level BPE pieces are strings such as <c>Ġthe</c> for " the".
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByte = Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    /// <summary>The character standing for <paramref name="value"/>.</summary>
    public static char Encode(byte value) => ByteToChar[value];

    /// <summary>Appends the bytes a byte-level piece stands for; false when it holds a character outside the alphabet.</summary>
    public static bool TryDecode(string piece, List<byte> destination)
    {
        var start = destination.Count;
        foreach (var c in piece)
        {
            if (!CharToByte.TryGetValue(c, out var value))
            {
                destination.RemoveRange(start, destination.Count - start);
                return false;
            }

            destination.Add(value);
        }

        return true;
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }
}
