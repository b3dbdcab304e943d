using System.CommandLine;

namespace Hanlin.Cli;

/// <summary>Options every command accepts.</summary>
internal static class CliGlobalOptions
{
    public static Option<string?> Data { get; } = new("--data")
    {
        Description = "Data directory (default: $HANLIN_DATA, else ~/.hanlin).",
        Recursive = true,
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON document instead of tables (for scripts).",
        Recursive = true,
    };
}
