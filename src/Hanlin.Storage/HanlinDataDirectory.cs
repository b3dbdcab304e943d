using Hanlin.Core.Errors;

namespace Hanlin.Storage;

/// <summary>
/// The folder that holds everything Hanlin stores on one machine:
/// <c>hanlin.db</c> (SQLite metadata), <c>blobs/ab/cd/&lt;sha256&gt;</c> (content-addressed originals and texts)
/// and <c>tmp/</c> (blobs being written; same file system as <c>blobs/</c>, so moving one in is atomic).
/// </summary>
public sealed record HanlinDataDirectory
{
    /// <summary>Environment variable that names the data directory when no explicit path is given.</summary>
    public const string EnvironmentVariable = "HANLIN_DATA";

    /// <summary>Folder name under the user's home used when neither an explicit path nor the variable is set.</summary>
    public const string DefaultFolderName = ".hanlin";

    private HanlinDataDirectory(string root)
    {
        Root = root;
        DatabasePath = Path.Combine(root, "hanlin.db");
        BlobsPath = Path.Combine(root, "blobs");
        TempPath = Path.Combine(root, "tmp");
    }

    /// <summary>Absolute path of the data directory.</summary>
    public string Root { get; }

    /// <summary>Absolute path of the SQLite database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Absolute path of the blob store's root.</summary>
    public string BlobsPath { get; }

    /// <summary>Absolute path of the scratch folder for partially written files.</summary>
    public string TempPath { get; }

    /// <summary>
    /// Resolves the data directory without touching the disk: <paramref name="explicitPath"/> (<c>--data</c>)
    /// wins over <see cref="EnvironmentVariable"/>, which wins over <c>~/.hanlin</c>. A leading <c>~</c> is expanded.
    /// </summary>
    public static HanlinDataDirectory Resolve(string? explicitPath = null)
    {
        var chosen = explicitPath;
        if (string.IsNullOrWhiteSpace(chosen))
        {
            chosen = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrWhiteSpace(chosen))
        {
            if (string.IsNullOrEmpty(home))
            {
                throw new HanlinException(
                    ErrorCodes.InvalidArgument,
                    $"No data directory was given and the user's home folder is unknown: pass --data or set {EnvironmentVariable}.");
            }

            chosen = Path.Combine(home, DefaultFolderName);
        }
        else if (chosen == "~" || chosen.StartsWith("~/", StringComparison.Ordinal) || chosen.StartsWith("~\\", StringComparison.Ordinal))
        {
            chosen = Path.Combine(home, chosen.Length > 2 ? chosen[2..] : string.Empty);
        }

        try
        {
            return new HanlinDataDirectory(Path.TrimEndingDirectorySeparator(Path.GetFullPath(chosen)));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"'{chosen}' is not a usable data directory path: {ex.Message}", ex);
        }
    }

    /// <summary>Resolves the data directory (see <see cref="Resolve"/>) and creates its folders.</summary>
    public static HanlinDataDirectory Open(string? explicitPath = null) => Resolve(explicitPath).EnsureCreated();

    /// <summary>
    /// Creates the folders if needed and proves the directory is writable by creating and deleting a probe
    /// file, so that a read-only or foreign-owned directory fails here with a clear message rather than later
    /// in the middle of an ingestion.
    /// </summary>
    public HanlinDataDirectory EnsureCreated()
    {
        try
        {
            Directory.CreateDirectory(Root);
            Directory.CreateDirectory(BlobsPath);
            Directory.CreateDirectory(TempPath);
            var probe = Path.Combine(TempPath, $"probe-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(
                ErrorCodes.InvalidArgument,
                $"The data directory '{Root}' cannot be created or is not writable ({ex.Message}); choose another with --data or {EnvironmentVariable}.",
                ex);
        }

        return this;
    }
}
