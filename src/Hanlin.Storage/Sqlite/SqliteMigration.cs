namespace Hanlin.Storage.Sqlite;

/// <summary>One schema step: applied in its own transaction and recorded in <c>schema_migrations</c>.</summary>
internal sealed record SqliteMigration(int Version, string Name, string Sql);
