namespace Hanlin.Testing;

/// <summary>
/// Locates the team's shared data folder (<c>../shared</c> beside the repository, or <c>HANLIN_SHARED</c>).
/// Tests that need it call <see cref="Require(string)"/>, which skips with a clear reason when absent.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string?> RootPath = new(Locate);

    /// <summary>The shared folder, or null when this checkout has none beside it.</summary>
    public static string? Root => RootPath.Value;

    /// <summary>The repository root (the folder holding <c>Hanlin.slnx</c>).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Returns the full path of <paramref name="relativePath"/> under shared/, or skips the test.</summary>
    public static string Require(string relativePath)
    {
        var root = Root;
        Assert.SkipWhen(root is null, "../shared is not present beside this checkout (set HANLIN_SHARED to point at it); this test needs real shared fixtures.");
        var path = Path.Combine(root!, relativePath);
        Assert.SkipUnless(File.Exists(path) || Directory.Exists(path), $"shared fixture '{relativePath}' is missing from {root}.");
        return path;
    }

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("HANLIN_SHARED");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return Path.GetFullPath(fromEnv);
        }

        var candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hanlin.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Hanlin.slnx not found above " + AppContext.BaseDirectory);
    }
}
