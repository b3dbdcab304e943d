using Microsoft.Extensions.Logging;

namespace Hanlin.Storage.Sqlite;

/// <summary>Storage log events (event ids 3000-3099).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({MigrationName}) to {DatabasePath}")]
    public static partial void MigrationApplied(ILogger logger, int version, string migrationName, string databasePath);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Marked {JobCount} ingestion jobs left running by a previous process as interrupted")]
    public static partial void JobsInterrupted(ILogger logger, int jobCount);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "SQLite kept journal mode {JournalMode} for {DatabasePath}; WAL was requested")]
    public static partial void NotWal(ILogger logger, string journalMode, string databasePath);
}
