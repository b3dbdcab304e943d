using System.Text;

namespace Hanlin.Models.Generation;

/// <summary>
/// Applies stop strings to streamed text: text that might be the start of a stop string is held back until it
/// is known not to be one, and generation ends at the first stop string, which is not emitted (as in the
/// OpenAI API). Feed decoded deltas to <see cref="Append"/> and, at the end, emit <see cref="Flush"/>.
/// </summary>
public sealed class StopSequenceMatcher
{
    private readonly string[] _stops;
    private readonly int _longest;
    private readonly StringBuilder _pending = new();

    /// <summary>Creates a matcher for <paramref name="stopSequences"/> (empty strings are ignored).</summary>
    public StopSequenceMatcher(IEnumerable<string> stopSequences)
    {
        ArgumentNullException.ThrowIfNull(stopSequences);
        _stops = [.. stopSequences.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal)];
        _longest = _stops.Length == 0 ? 0 : _stops.Max(s => s.Length);
    }

    /// <summary>True once a stop string has been seen; nothing more should be generated.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds a decoded delta and returns the text that is now safe to emit (possibly empty).</summary>
    public string Append(string delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (Stopped)
        {
            return string.Empty;
        }

        if (_stops.Length == 0)
        {
            return delta;
        }

        _pending.Append(delta);
        var text = _pending.ToString();
        var first = -1;
        foreach (var stop in _stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        if (first >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return text[..first];
        }

        // Hold back the longest tail that is a proper prefix of some stop string.
        var hold = 0;
        for (var length = Math.Min(_longest - 1, text.Length); length > 0; length--)
        {
            if (IsStopPrefix(text.AsSpan(text.Length - length)))
            {
                hold = length;
                break;
            }
        }

        _pending.Clear();
        _pending.Append(text, text.Length - hold, hold);
        return text[..^hold];
    }

    private bool IsStopPrefix(ReadOnlySpan<char> tail)
    {
        foreach (var stop in _stops)
        {
            if (stop.AsSpan().StartsWith(tail, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The held-back text, released when generation ends for another reason.</summary>
    public string Flush()
    {
        var rest = Stopped ? string.Empty : _pending.ToString();
        _pending.Clear();
        return rest;
    }
}
