using System.Globalization;
using System.Text;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Templates;

/// <summary>
/// Splits a Jinja2 template into text and tag tokens, applying whitespace control exactly as Jinja's lexer
/// does under the settings transformers compiles chat templates with: <c>trim_blocks=True</c> (the first
/// newline after a block or comment tag is dropped), <c>lstrip_blocks=True</c> (spaces and tabs before a block
/// or comment tag on its own line are dropped), <c>{%-</c>/<c>-%}</c> style markers strip all whitespace,
/// <c>+</c> markers disable lstrip/trim, newlines are normalised to <c>\n</c> and one trailing newline of the
/// source is dropped (<c>keep_trailing_newline=False</c>).
/// </summary>
internal static class TemplateLexer
{
    private static readonly string[] Operators =
    [
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";",
    ];

    public static List<TemplateToken> Tokenize(string source)
    {
        source = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (source.EndsWith('\n'))
        {
            source = source[..^1];
        }

        var tokens = new List<TemplateToken>();
        var pos = 0;
        var line = 1;
        var lineStarting = true;
        while (pos < source.Length)
        {
            var start = FindTagStart(source, pos);
            if (start < 0)
            {
                tokens.Add(new TemplateToken(TemplateTokenKind.Text, source[pos..], line));
                break;
            }

            var text = source[pos..start];
            var kind = source[start + 1];
            var cursor = start + 2;
            var marker = cursor < source.Length && (source[cursor] == '-' || source[cursor] == '+') ? source[cursor] : '\0';
            if (marker != '\0')
            {
                cursor++;
            }

            if (marker == '-')
            {
                text = text.TrimEnd();
            }
            else if (marker != '+' && kind != '{')
            {
                var lineStart = text.LastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.Length && IsBlank(text.AsSpan(lineStart)))
                {
                    text = text[..lineStart];
                }
            }

            if (text.Length > 0)
            {
                tokens.Add(new TemplateToken(TemplateTokenKind.Text, text, line));
            }

            line += CountNewlines(source, pos, start);
            pos = kind == '#'
                ? SkipComment(source, cursor, line)
                : LexTag(source, cursor, kind == '{', tokens, line);
            line += CountNewlines(source, start, pos);
            lineStarting = pos > 0 && source[pos - 1] == '\n';
        }

        tokens.Add(new TemplateToken(TemplateTokenKind.End, string.Empty, line));
        return tokens;
    }

    private static int FindTagStart(string source, int from)
    {
        var index = from;
        while ((index = source.IndexOf('{', index)) >= 0 && index + 1 < source.Length)
        {
            var next = source[index + 1];
            if (next is '{' or '%' or '#')
            {
                return index;
            }

            index++;
        }

        return -1;
    }

    private static bool IsBlank(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int CountNewlines(string source, int from, int to)
    {
        var count = 0;
        for (var i = from; i < to && i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                count++;
            }
        }

        return count;
    }

    private static int SkipComment(string source, int cursor, int line)
    {
        var end = source.IndexOf("#}", cursor, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Invalid(line, "a comment is never closed with '#}'");
        }

        var strip = end > cursor && source[end - 1] == '-';
        var keep = end > cursor && source[end - 1] == '+';
        return AfterTagEnd(source, end + 2, strip, trimNewline: !keep);
    }

    private static int AfterTagEnd(string source, int pos, bool strip, bool trimNewline)
    {
        if (strip)
        {
            while (pos < source.Length && char.IsWhiteSpace(source[pos]))
            {
                pos++;
            }
        }
        else if (trimNewline && pos < source.Length && source[pos] == '\n')
        {
            pos++;
        }

        return pos;
    }

    private static int LexTag(string source, int pos, bool isVariable, List<TemplateToken> tokens, int line)
    {
        tokens.Add(new TemplateToken(isVariable ? TemplateTokenKind.VariableBegin : TemplateTokenKind.BlockBegin, string.Empty, line));
        var end = isVariable ? "}}" : "%}";
        var depth = 0;
        while (true)
        {
            while (pos < source.Length && char.IsWhiteSpace(source[pos]))
            {
                if (source[pos] == '\n')
                {
                    line++;
                }

                pos++;
            }

            if (pos >= source.Length)
            {
                throw Invalid(line, $"a tag is never closed with '{end}'");
            }

            if (depth == 0)
            {
                if (string.CompareOrdinal(source, pos, end, 0, 2) == 0)
                {
                    tokens.Add(new TemplateToken(isVariable ? TemplateTokenKind.VariableEnd : TemplateTokenKind.BlockEnd, string.Empty, line));
                    return AfterTagEnd(source, pos + 2, strip: false, trimNewline: !isVariable);
                }

                if ((source[pos] == '-' || (!isVariable && source[pos] == '+')) && string.CompareOrdinal(source, pos + 1, end, 0, 2) == 0)
                {
                    tokens.Add(new TemplateToken(isVariable ? TemplateTokenKind.VariableEnd : TemplateTokenKind.BlockEnd, string.Empty, line));
                    return AfterTagEnd(source, pos + 3, strip: source[pos] == '-', trimNewline: false);
                }
            }

            var c = source[pos];
            if (c is '\'' or '"')
            {
                pos = LexString(source, pos, tokens, ref line);
            }
            else if (char.IsAsciiDigit(c))
            {
                pos = LexNumber(source, pos, tokens, line);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var startName = pos;
                while (pos < source.Length && (char.IsLetterOrDigit(source[pos]) || source[pos] == '_'))
                {
                    pos++;
                }

                tokens.Add(new TemplateToken(TemplateTokenKind.Name, source[startName..pos], line));
            }
            else
            {
                var op = Array.Find(Operators, o => string.CompareOrdinal(source, pos, o, 0, o.Length) == 0)
                    ?? throw Invalid(line, $"unexpected character '{c}'");
                depth += op is "(" or "[" or "{" ? 1 : op is ")" or "]" or "}" ? -1 : 0;
                if (depth < 0)
                {
                    throw Invalid(line, $"unexpected '{op}'");
                }

                tokens.Add(new TemplateToken(TemplateTokenKind.Operator, op, line));
                pos += op.Length;
            }
        }
    }

    private static int LexNumber(string source, int pos, List<TemplateToken> tokens, int line)
    {
        var start = pos;
        while (pos < source.Length && (char.IsAsciiDigit(source[pos]) || source[pos] == '_'))
        {
            pos++;
        }

        var isFloat = false;
        if (pos + 1 < source.Length && source[pos] == '.' && char.IsAsciiDigit(source[pos + 1]))
        {
            isFloat = true;
            pos++;
            while (pos < source.Length && (char.IsAsciiDigit(source[pos]) || source[pos] == '_'))
            {
                pos++;
            }
        }

        if (pos < source.Length && (source[pos] == 'e' || source[pos] == 'E'))
        {
            var exponent = pos + 1;
            if (exponent < source.Length && (source[exponent] == '+' || source[exponent] == '-'))
            {
                exponent++;
            }

            if (exponent < source.Length && char.IsAsciiDigit(source[exponent]))
            {
                isFloat = true;
                pos = exponent;
                while (pos < source.Length && char.IsAsciiDigit(source[pos]))
                {
                    pos++;
                }
            }
        }

        var text = source[start..pos].Replace("_", string.Empty, StringComparison.Ordinal);
        tokens.Add(new TemplateToken(isFloat ? TemplateTokenKind.Float : TemplateTokenKind.Integer, text, line));
        return pos;
    }

    /// <summary>Decodes a string literal the way Jinja does: Python's unicode-escape rules, unknown escapes kept.</summary>
    private static int LexString(string source, int pos, List<TemplateToken> tokens, ref int line)
    {
        var quote = source[pos];
        var startLine = line;
        var builder = new StringBuilder();
        pos++;
        while (true)
        {
            if (pos >= source.Length)
            {
                throw Invalid(startLine, "a string literal is never closed");
            }

            var c = source[pos];
            if (c == quote)
            {
                tokens.Add(new TemplateToken(TemplateTokenKind.String, builder.ToString(), startLine));
                return pos + 1;
            }

            if (c == '\n')
            {
                line++;
            }

            if (c != '\\' || pos + 1 >= source.Length)
            {
                builder.Append(c);
                pos++;
                continue;
            }

            var e = source[pos + 1];
            pos += 2;
            switch (e)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case '\\': builder.Append('\\'); break;
                case '\'': builder.Append('\''); break;
                case '"': builder.Append('"'); break;
                case 'a': builder.Append('\a'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'v': builder.Append('\v'); break;
                case '\n': break;
                case 'x': pos = AppendHex(source, pos, 2, builder, startLine); break;
                case 'u': pos = AppendHex(source, pos, 4, builder, startLine); break;
                case 'U': pos = AppendHex(source, pos, 8, builder, startLine); break;
                default: builder.Append('\\').Append(e); break;
            }
        }
    }

    private static int AppendHex(string source, int pos, int digits, StringBuilder builder, int line)
    {
        if (pos + digits > source.Length
            || !int.TryParse(source.AsSpan(pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            throw Invalid(line, "a string literal has a malformed \\x, \\u or \\U escape");
        }

        builder.Append(char.ConvertFromUtf32(code));
        return pos + digits;
    }

    internal static HanlinException Invalid(int line, string problem) =>
        new(ErrorCodes.ChatTemplateInvalid, $"The chat template does not parse: {problem} (line {line}).");
}
