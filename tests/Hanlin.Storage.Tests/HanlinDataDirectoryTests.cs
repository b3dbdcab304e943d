using Hanlin.Core.Errors;

namespace Hanlin.Storage.Tests;

/// <summary>Only this class reads or writes HANLIN_DATA; its tests run one after another.</summary>
public sealed class HanlinDataDirectoryTests : IDisposable
{
    private readonly string? _savedVariable = Environment.GetEnvironmentVariable(HanlinDataDirectory.EnvironmentVariable);
    private readonly TempDirectory _temp = new();

    [Fact]
    public void An_explicit_path_wins_over_the_environment_variable()
    {
        Environment.SetEnvironmentVariable(HanlinDataDirectory.EnvironmentVariable, _temp.File("from-env"));

        var resolved = HanlinDataDirectory.Resolve(_temp.File("explicit"));

        Assert.Equal(_temp.File("explicit"), resolved.Root);
    }

    [Fact]
    public void The_environment_variable_is_used_when_no_path_is_given()
    {
        Environment.SetEnvironmentVariable(HanlinDataDirectory.EnvironmentVariable, _temp.File("from-env"));

        Assert.Equal(_temp.File("from-env"), HanlinDataDirectory.Resolve(null).Root);
    }

    [Fact]
    public void The_default_is_dot_hanlin_in_the_home_folder()
    {
        Environment.SetEnvironmentVariable(HanlinDataDirectory.EnvironmentVariable, null);

        var resolved = HanlinDataDirectory.Resolve();

        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".hanlin"), resolved.Root);
        Assert.False(Directory.Exists(_temp.File("never-created")));
    }

    [Fact]
    public void Opening_creates_the_layout()
    {
        var directory = HanlinDataDirectory.Open(_temp.File("data/"));

        Assert.Equal(_temp.File("data"), directory.Root);
        Assert.Equal(_temp.File("data/hanlin.db"), directory.DatabasePath);
        Assert.True(Directory.Exists(_temp.File("data/blobs")));
        Assert.True(Directory.Exists(_temp.File("data/tmp")));
        Assert.Empty(Directory.EnumerateFiles(directory.TempPath));
    }

    [Fact]
    public void A_data_directory_that_cannot_be_created_fails_with_a_clear_error()
    {
        var file = _temp.Write("occupied", "a file, not a folder");

        var ex = Assert.Throws<HanlinException>(() => HanlinDataDirectory.Open(Path.Combine(file, "data")));

        Assert.Equal(ErrorCodes.InvalidArgument, ex.Code);
        Assert.Contains(Path.Combine(file, "data"), ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(HanlinDataDirectory.EnvironmentVariable, _savedVariable);
        _temp.Dispose();
    }
}
