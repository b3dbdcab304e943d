namespace Hanlin.Training.Registry;

/// <summary>The model registry's schema; timestamps are unix epoch milliseconds (UTC), enumerations snake_case text.</summary>
internal static class RegistrySchema
{
    public const string Version1 = """
        CREATE TABLE models (
            id             TEXT    NOT NULL PRIMARY KEY,
            name           TEXT    NOT NULL COLLATE NOCASE,
            version        INTEGER NOT NULL CHECK (version >= 1),
            kind           TEXT    NOT NULL CHECK (kind IN ('base_model', 'adapter', 'merged')),
            directory      TEXT    NOT NULL,
            base_model_id  TEXT    REFERENCES models (id),
            dataset_sha256 TEXT,
            hyperparameters TEXT,  -- JSON object
            metrics        TEXT,   -- JSON object
            job_id         TEXT,
            status         TEXT    NOT NULL CHECK (status IN ('registered', 'promoted', 'archived')),
            created_at     INTEGER NOT NULL,
            UNIQUE (name, version)
        ) STRICT;

        -- The invariant "at most one promoted version per name", enforced by the database itself.
        CREATE UNIQUE INDEX ux_models_promoted ON models (name) WHERE status = 'promoted';

        CREATE TABLE model_files (
            model_id   TEXT    NOT NULL REFERENCES models (id) ON DELETE CASCADE,
            path       TEXT    NOT NULL, -- relative to the model directory, '/' separators
            sha256     TEXT    NOT NULL,
            size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
            PRIMARY KEY (model_id, path)
        ) STRICT, WITHOUT ROWID;

        PRAGMA user_version = 1;
        """;
}
