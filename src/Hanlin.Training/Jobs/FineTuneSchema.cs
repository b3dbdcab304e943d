namespace Hanlin.Training.Jobs;

/// <summary>The fine-tuning store's schema; timestamps are unix epoch milliseconds (UTC), enumerations snake_case text.</summary>
internal static class FineTuneSchema
{
    public const int Version = 1;

    public const string Version1 = """
        CREATE TABLE files (
            id         TEXT    NOT NULL PRIMARY KEY,
            file_name  TEXT    NOT NULL,
            purpose    TEXT    NOT NULL,
            bytes      INTEGER NOT NULL CHECK (bytes >= 0),
            sha256     TEXT    NOT NULL,
            path       TEXT    NOT NULL,
            created_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE jobs (
            id               TEXT    NOT NULL PRIMARY KEY,
            model            TEXT    NOT NULL,
            training_file    TEXT    NOT NULL REFERENCES files (id),
            validation_file  TEXT    REFERENCES files (id),
            suffix           TEXT,
            seed             INTEGER NOT NULL,
            hyperparameters  TEXT    NOT NULL, -- JSON object
            status           TEXT    NOT NULL CHECK (status IN ('validating_files', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
            error_code       TEXT,
            error_message    TEXT,
            fine_tuned_model TEXT,
            trained_tokens   INTEGER,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            created_at       INTEGER NOT NULL,
            started_at       INTEGER,
            finished_at      INTEGER
        ) STRICT;

        CREATE INDEX ix_jobs_status ON jobs (status, id);

        CREATE TABLE events (
            seq        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            job_id     TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            level      TEXT    NOT NULL CHECK (level IN ('info', 'warn', 'error')),
            type       TEXT    NOT NULL CHECK (type IN ('message', 'metrics')),
            message    TEXT    NOT NULL,
            data       TEXT,   -- JSON object
            created_at INTEGER NOT NULL
        );

        CREATE INDEX ix_events_job ON events (job_id, seq);

        CREATE TABLE checkpoints (
            id         TEXT    NOT NULL PRIMARY KEY,
            job_id     TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            step       INTEGER NOT NULL CHECK (step >= 0),
            metrics    TEXT    NOT NULL, -- JSON object
            directory  TEXT    NOT NULL,
            created_at INTEGER NOT NULL
        ) STRICT;

        CREATE INDEX ix_checkpoints_job ON checkpoints (job_id, step);

        PRAGMA user_version = 1;
        """;
}
