using Hanlin.Core.Errors;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Hanlin.Storage.Sqlite;

/// <summary>Turns SQLite failures into <see cref="HanlinException"/>s that name the database file.</summary>
internal static class SqliteFailure
{
    public static HanlinException Wrap(SqliteException ex, string databasePath) => ex.SqliteErrorCode switch
    {
        raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB => new HanlinException(
            ErrorCodes.StorageCorrupt,
            $"The database '{databasePath}' is damaged or is not a Hanlin database: {ex.Message}",
            ex),
        raw.SQLITE_CONSTRAINT => new HanlinException(
            ErrorCodes.InvalidArgument,
            $"The change was refused by a consistency rule of '{databasePath}': {ex.Message}",
            ex),
        raw.SQLITE_BUSY or raw.SQLITE_LOCKED => new HanlinException(
            ErrorCodes.Internal,
            $"The database '{databasePath}' stayed locked by another process for too long: {ex.Message}",
            ex),
        raw.SQLITE_FULL => new HanlinException(
            ErrorCodes.Internal,
            $"The disk holding '{databasePath}' is full: {ex.Message}",
            ex),
        raw.SQLITE_READONLY or raw.SQLITE_CANTOPEN or raw.SQLITE_PERM or raw.SQLITE_IOERR => new HanlinException(
            ErrorCodes.Internal,
            $"The database '{databasePath}' cannot be opened or written: {ex.Message}",
            ex),
        _ => new HanlinException(ErrorCodes.Internal, $"The database '{databasePath}' reported an error: {ex.Message}", ex),
    };
}
