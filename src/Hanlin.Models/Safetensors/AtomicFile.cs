using Hanlin.Core.Errors;

namespace Hanlin.Models.Safetensors;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one: the bytes go to a temporary file
/// beside it, are flushed to disk, and the temporary file is renamed over the target (atomic on one file system).
/// </summary>
internal static class AtomicFile
{
    /// <exception cref="HanlinException"><c>unreadable_file</c> when the file cannot be written (disk full, no permission); the target is untouched.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new HanlinException(ErrorCodes.UnreadableFile, $"'{path}' could not be written: {ex.Message}", ex);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The temporary file is named so that nothing mistakes it for the target; a leftover is harmless.
        }
    }
}
