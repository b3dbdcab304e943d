using Hanlin.Core.Errors;

namespace Hanlin.Storage.Blobs;

/// <summary>
/// The only blob key format: 64 lowercase hex characters. Checking it before building a path is what keeps a
/// key like <c>../../etc/passwd</c> out of the file system.
/// </summary>
internal static class Sha256Hex
{
    public const int Length = 64;

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != Length)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns <paramref name="value"/> or throws <c>invalid_argument</c>.</summary>
    public static string Validate(string? value, string what = "blob hash")
    {
        if (!IsValid(value))
        {
            throw new HanlinException(
                ErrorCodes.InvalidArgument,
                $"'{value}' is not a valid {what}: expected {Length} lowercase hexadecimal characters (sha256).");
        }

        return value!;
    }
}
