using Hanlin.Core.Errors;

namespace Hanlin.Ingestion.Pipeline;

/// <summary>
/// Source names come from file systems and upload forms, so they are untrusted: they must be relative,
/// without '..' segments, control characters or empty segments.
/// </summary>
public static class SourceName
{
    public const int MaxLength = 1024;

    /// <summary>Returns the canonical name ('/' separators) or throws <c>invalid_file_name</c>.</summary>
    public static string Validate(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid(name, "it is empty");
        }

        if (name.Length > MaxLength)
        {
            throw Invalid(name, $"it is longer than {MaxLength} characters");
        }

        foreach (var c in name)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF')
            {
                throw Invalid(name, "it contains control characters");
            }
        }

        var canonical = name.Replace('\\', '/');
        if (canonical.StartsWith('/') || (canonical.Length >= 2 && canonical[1] == ':'))
        {
            throw Invalid(name, "it is an absolute path");
        }

        foreach (var segment in canonical.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw Invalid(name, "it contains an empty, '.' or '..' path segment");
            }
        }

        return canonical;
    }

    private static HanlinException Invalid(string? name, string reason) =>
        new(ErrorCodes.InvalidFileName, $"The file name '{Printable(name)}' is not accepted: {reason}.");

    // Never echo raw control characters back to a terminal or a log.
    internal static string Printable(string? name) =>
        name is null ? string.Empty : string.Concat(name.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
