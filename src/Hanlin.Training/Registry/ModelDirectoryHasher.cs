using System.Security.Cryptography;
using Hanlin.Core.Errors;

namespace Hanlin.Training.Registry;

/// <summary>SHA-256 and size of every file under a model directory, streamed (weights can be many gigabytes).</summary>
internal static class ModelDirectoryHasher
{
    // Every file counts, hidden ones too (.gitattributes, .cache): a checksum list that skips files cannot prove integrity.
    private static readonly EnumerationOptions AllFiles = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Relative paths (with <c>/</c>) of every file under <paramref name="directory"/>, ordinal order; empty if it does not exist.</summary>
    public static List<string> ListFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        try
        {
            var files = Directory.EnumerateFiles(directory, "*", AllFiles)
                .Select(f => Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/'))
                .ToList();
            files.Sort(StringComparer.Ordinal);
            return files;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"The model directory '{directory}' cannot be listed: {ex.Message}", ex);
        }
    }

    public static async Task<ModelFileChecksum> HashFileAsync(string directory, string relativePath, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, relativePath.Replace('/', Path.DirectorySeparatorChar));
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
                return new ModelFileChecksum(relativePath, Convert.ToHexStringLower(hash), stream.Length);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"The model file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    public static async Task<List<ModelFileChecksum>> HashDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        var result = new List<ModelFileChecksum>();
        foreach (var file in ListFiles(directory))
        {
            result.Add(await HashFileAsync(directory, file, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }
}
