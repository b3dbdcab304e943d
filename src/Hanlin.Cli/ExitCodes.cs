namespace Hanlin.Cli;

/// <summary>Process exit codes, stable for scripts.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>Done, but some items (files of an ingest) failed; see the per-item results.</summary>
    public const int PartialFailure = 1;

    /// <summary>The command line was wrong (unknown option, missing argument, invalid value).</summary>
    public const int UsageError = 2;

    /// <summary>The command failed as a whole (not found, every file failed, storage error).</summary>
    public const int Failure = 3;

    /// <summary>Interrupted by the user (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
