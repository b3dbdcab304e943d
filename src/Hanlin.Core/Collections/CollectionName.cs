using System.Text.RegularExpressions;
using Hanlin.Core.Errors;

namespace Hanlin.Core.Collections;

/// <summary>Collection names appear in URLs and model names (<c>kb:NAME</c>), so they are restricted.</summary>
public static partial class CollectionName
{
    public const int MaxLength = 64;

    /// <summary>Throws <see cref="HanlinException"/> (<c>invalid_collection_name</c>) unless the name is valid.</summary>
    public static string Validate(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxLength || !Pattern().IsMatch(name))
        {
            throw new HanlinException(
                ErrorCodes.InvalidCollectionName,
                $"'{name}' is not a valid collection name: use 1-{MaxLength} letters, digits, '-', '_' or '.', starting with a letter or digit.");
        }

        return name;
    }

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N}._-]*$")]
    private static partial Regex Pattern();
}
