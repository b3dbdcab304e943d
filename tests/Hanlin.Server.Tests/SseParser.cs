namespace Hanlin.Server.Tests;

/// <summary>Splits a complete <c>text/event-stream</c> body into events (name or null, data).</summary>
internal static class SseParser
{
    public static IReadOnlyList<(string? Event, string Data)> Parse(string body)
    {
        var events = new List<(string?, string)>();
        foreach (var block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            var data = new List<string>();
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Add(line["data: ".Length..]);
                }
            }

            events.Add((name, string.Join('\n', data)));
        }

        return events;
    }
}
