using System.Globalization;
using System.Text;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Templates;

/// <summary>
/// Global functions visible to every chat template: Jinja's <c>namespace</c>, <c>range</c>, <c>dict</c>, and the
/// two transformers adds, <c>raise_exception(message)</c> and <c>strftime_now(format)</c>.
/// </summary>
internal static class TemplateGlobals
{
    public static TemplateScope Create(TimeProvider timeProvider)
    {
        var scope = new TemplateScope(null);
        scope.Set("raise_exception", new TemplateFunction("raise_exception", arguments =>
            throw new HanlinException(
                ErrorCodes.ChatTemplateRejected,
                "The chat template rejected the conversation: " + TemplateValues.ToStr(arguments.Get(0, "message")))));
        scope.Set("strftime_now", new TemplateFunction("strftime_now", arguments =>
            Strftime(timeProvider.GetLocalNow().DateTime, TemplateValues.ToStr(arguments.Required(0, "format", "strftime_now")))));
        scope.Set("namespace", new TemplateFunction("namespace", arguments =>
        {
            var ns = new TemplateNamespace();
            foreach (var positional in arguments.Positional)
            {
                if (positional is OrderedDictionary<string, object?> initial)
                {
                    foreach (var (key, value) in initial)
                    {
                        ns.Attributes[key] = value;
                    }
                }
            }

            foreach (var (key, value) in arguments.Named)
            {
                ns.Attributes[key] = value;
            }

            return ns;
        }));
        scope.Set("dict", new TemplateFunction("dict", arguments =>
        {
            var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, value) in arguments.Named)
            {
                dict[key] = value;
            }

            return dict;
        }));
        scope.Set("range", new TemplateFunction("range", Range));
        return scope;
    }

    private static List<object?> Range(TemplateArguments arguments)
    {
        var numbers = arguments.Positional.Select(p => p is long l ? l : throw TemplateValues.Failure("range() needs integers")).ToArray();
        var (start, stop, step) = numbers.Length switch
        {
            1 => (0L, numbers[0], 1L),
            2 => (numbers[0], numbers[1], 1L),
            3 => (numbers[0], numbers[1], numbers[2]),
            _ => throw TemplateValues.Failure("range() takes one to three integers"),
        };
        if (step == 0)
        {
            throw TemplateValues.Failure("range() arg 3 must not be zero");
        }

        var result = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            // The sandbox caps ranges at 100000 items (jinja2.sandbox.MAX_RANGE); so does this.
            if (result.Count >= 100_000)
            {
                throw TemplateValues.Failure("range() is too big; at most 100000 items are allowed");
            }

            result.Add(i);
        }

        return result;
    }

    /// <summary>C-locale <c>strftime</c> for the directives date-stamping templates use.</summary>
    public static string Strftime(DateTime time, string format)
    {
        var c = CultureInfo.InvariantCulture;
        var builder = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                builder.Append(format[i]);
                continue;
            }

            var directive = format[++i];
            var noPad = directive == '-' && i + 1 < format.Length;
            if (noPad)
            {
                directive = format[++i];
            }

            string Pad(int value, int width) => noPad ? value.ToString(c) : value.ToString(new string('0', width), c);
            builder.Append(directive switch
            {
                'a' => time.ToString("ddd", c),
                'A' => time.ToString("dddd", c),
                'b' or 'h' => time.ToString("MMM", c),
                'B' => time.ToString("MMMM", c),
                'd' => Pad(time.Day, 2),
                'e' => time.Day.ToString(c).PadLeft(2),
                'm' => Pad(time.Month, 2),
                'y' => Pad(time.Year % 100, 2),
                'Y' => time.Year.ToString(c),
                'H' => Pad(time.Hour, 2),
                'I' => Pad(time.Hour % 12 == 0 ? 12 : time.Hour % 12, 2),
                'M' => Pad(time.Minute, 2),
                'S' => Pad(time.Second, 2),
                'p' => time.Hour < 12 ? "AM" : "PM",
                'j' => Pad(time.DayOfYear, 3),
                'f' => (time.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", c),
                'F' => time.ToString("yyyy-MM-dd", c),
                'T' => time.ToString("HH:mm:ss", c),
                '%' => "%",
                _ => "%" + directive,
            });
        }

        return builder.ToString();
    }
}
