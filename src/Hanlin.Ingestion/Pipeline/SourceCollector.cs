using Hanlin.Core.Errors;
using Hanlin.Core.Ingestion;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Hanlin.Ingestion.Pipeline;

/// <summary>
/// Turns command-line inputs (files, directories, globs such as <c>docs/**/*.pdf</c>) into ingestion sources.
/// Source names are paths relative to the working directory when the file lies under it, otherwise the full
/// path without its root; either way the same file gets the same name whether it was named directly or found
/// in a folder, so re-ingesting it finds it unchanged. Hidden entries (dot-files) are skipped; directories that cannot
/// be read become failed entries instead of aborting the listing; symbolic links to directories are not
/// followed (no cycles).
/// </summary>
public sealed class SourceCollector
{
    private readonly string _workingDirectory;

    public SourceCollector(string? workingDirectory = null)
    {
        _workingDirectory = Path.GetFullPath(workingDirectory ?? Directory.GetCurrentDirectory());
    }

    public SourceSet Collect(IEnumerable<string> inputs, bool recursive)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var sources = new List<IngestionSource>();
        var failures = new List<FileResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input, _workingDirectory);
            if (File.Exists(full))
            {
                AddFile(full, sources, failures, seen);
            }
            else if (Directory.Exists(full))
            {
                Walk(full, recursive, sources, failures, seen);
            }
            else if (input.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                ExpandGlob(input, sources, failures, seen);
            }
            else
            {
                failures.Add(Failure(input, ErrorCodes.FileNotFound, $"'{SourceName.Printable(input)}' does not exist."));
            }
        }

        return new SourceSet(sources, failures);
    }

    private void ExpandGlob(string pattern, List<IngestionSource> sources, List<FileResult> failures, HashSet<string> seen)
    {
        // The folder part before the first wildcard segment is the root the matcher walks.
        var normalised = pattern.Replace('\\', '/');
        var segments = normalised.Split('/');
        var firstWild = Array.FindIndex(segments, s => s.AsSpan().IndexOfAny('*', '?') >= 0);
        var rootPart = string.Join('/', segments[..firstWild]);
        var root = Path.GetFullPath(rootPart.Length == 0 ? "." : rootPart, _workingDirectory);
        if (normalised.StartsWith('/') && rootPart.Length == 0)
        {
            root = "/";
        }

        if (!Directory.Exists(root))
        {
            failures.Add(Failure(pattern, ErrorCodes.FileNotFound, $"The folder of pattern '{SourceName.Printable(pattern)}' does not exist."));
            return;
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(string.Join('/', segments[firstWild..]));
        var matched = 0;
        foreach (var file in matcher.GetResultsInFullPath(root).Order(StringComparer.Ordinal))
        {
            if (IsHidden(Path.GetRelativePath(root, file)))
            {
                continue;
            }

            matched++;
            AddFile(file, sources, failures, seen);
        }

        if (matched == 0)
        {
            failures.Add(Failure(pattern, ErrorCodes.FileNotFound, $"No file matches '{SourceName.Printable(pattern)}'."));
        }
    }

    private void Walk(string directory, bool recursive, List<IngestionSource> sources, List<FileResult> failures, HashSet<string> seen)
    {
        string[] files;
        string[] directories;
        try
        {
            files = Directory.GetFiles(directory);
            directories = recursive ? Directory.GetDirectories(directory) : [];
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            failures.Add(Failure(DisplayName(directory), ErrorCodes.UnreadableFile, $"The folder '{SourceName.Printable(directory)}' cannot be read: {ex.Message}"));
            return;
        }

        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!Path.GetFileName(file).StartsWith('.'))
            {
                AddFile(file, sources, failures, seen);
            }
        }

        Array.Sort(directories, StringComparer.Ordinal);
        foreach (var sub in directories)
        {
            var info = new DirectoryInfo(sub);
            if (info.Name.StartsWith('.') || info.LinkTarget is not null)
            {
                continue;
            }

            Walk(sub, recursive, sources, failures, seen);
        }
    }

    private void AddFile(string fullPath, List<IngestionSource> sources, List<FileResult> failures, HashSet<string> seen)
    {
        if (!seen.Add(fullPath))
        {
            return;
        }

        var display = DisplayName(fullPath);
        try
        {
            sources.Add(new IngestionSource(fullPath, SourceName.Validate(display)));
        }
        catch (HanlinException ex)
        {
            failures.Add(Failure(display, ex.Code, ex.Message));
        }
    }

    private string DisplayName(string fullPath)
    {
        var underWorkingDirectory = fullPath.StartsWith(_workingDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        if (underWorkingDirectory)
        {
            return Path.GetRelativePath(_workingDirectory, fullPath).Replace(Path.DirectorySeparatorChar, '/');
        }

        // Outside the working directory the full path (without its root) is the only name that stays the
        // same whether the file was named directly or found in a folder.
        var root = Path.GetPathRoot(fullPath) ?? string.Empty;
        return fullPath[root.Length..].Replace(Path.DirectorySeparatorChar, '/');
    }

    private static bool IsHidden(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, '/').Any(s => s.StartsWith('.') && s is not "." and not "..");

    private static FileResult Failure(string path, string code, string message) =>
        new(SourceName.Printable(path), FileOutcome.Failed, null, null, null, 0, 0, [], [], code, message);
}
