-- Schema version 1. Timestamps are unix epoch milliseconds (UTC) in INTEGER columns.
-- Enumerations are stored as snake_case text (see SqliteEnumText) so the file stays readable with the sqlite3 shell.

CREATE TABLE collections (
    id          TEXT    NOT NULL PRIMARY KEY,
    -- NOCASE: 'Finance' and 'finance' are one collection, so names cannot collide on case-insensitive file systems.
    name        TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    description TEXT,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE documents (
    id                 TEXT    NOT NULL PRIMARY KEY,
    collection_id      TEXT    NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    source_name        TEXT    NOT NULL,
    media_type         TEXT    NOT NULL,
    size_bytes         INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256             TEXT    NOT NULL,
    version            INTEGER NOT NULL CHECK (version >= 1),
    -- No foreign key: the document row is written before its version row in the same transaction.
    current_version_id TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('ready', 'needs_ocr')),
    chunk_count        INTEGER NOT NULL CHECK (chunk_count >= 0),
    page_count         INTEGER,
    title              TEXT,
    last_error_code    TEXT,
    last_error_message TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (collection_id, source_name)
) STRICT;

CREATE TABLE document_versions (
    id                TEXT    NOT NULL PRIMARY KEY,
    document_id       TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version           INTEGER NOT NULL CHECK (version >= 1),
    media_type        TEXT    NOT NULL,
    size_bytes        INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256            TEXT    NOT NULL,
    text_sha256       TEXT    NOT NULL,
    text_length       INTEGER NOT NULL CHECK (text_length >= 0),
    page_count        INTEGER,
    pages_needing_ocr TEXT    NOT NULL DEFAULT '[]', -- JSON array of 1-based page numbers
    chunk_count       INTEGER NOT NULL CHECK (chunk_count >= 0),
    created_at        INTEGER NOT NULL,
    UNIQUE (document_id, version)
) STRICT;

CREATE INDEX ix_document_versions_text_sha256 ON document_versions (text_sha256);

-- Only the current version's chunks are kept. collection_id is denormalised from documents so that
-- ListFingerprints reads one covering index instead of joining; it cannot drift because chunks are only
-- written together with their document, and a document never changes collection.
-- version_id has no foreign key on purpose: cascading from document_versions would need another index on
-- this, the largest table, and chunks already cascade through document_id.
CREATE TABLE chunks (
    id            TEXT    NOT NULL PRIMARY KEY,
    collection_id TEXT    NOT NULL,
    document_id   TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version_id    TEXT    NOT NULL,
    ordinal       INTEGER NOT NULL CHECK (ordinal >= 0),
    text          TEXT    NOT NULL,
    section_path  TEXT    NOT NULL,
    page_start    INTEGER CHECK (page_start IS NULL OR page_start >= 1),
    page_end      INTEGER CHECK (page_end IS NULL OR page_end >= page_start),
    char_start    INTEGER NOT NULL CHECK (char_start >= 0),
    char_end      INTEGER NOT NULL CHECK (char_end >= char_start),
    token_count   INTEGER NOT NULL CHECK (token_count >= 0),
    content_hash  TEXT    NOT NULL,
    simhash       INTEGER NOT NULL, -- the ulong SimHash reinterpreted as a signed 64-bit integer
    kind          TEXT    NOT NULL CHECK (kind IN ('paragraph', 'table', 'list', 'heading')),
    UNIQUE (document_id, ordinal)
) STRICT;

-- Covering index for ListFingerprints. id precedes simhash because chunk ids are time-ordered (v7), so a save
-- appends to this index instead of scattering random SimHash keys through it (measured ~10% faster inserts).
CREATE INDEX ix_chunks_fingerprints ON chunks (collection_id, document_id, id, simhash);

CREATE TABLE ingestion_jobs (
    id            TEXT    NOT NULL PRIMARY KEY,
    collection_id TEXT    NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    status        TEXT    NOT NULL
        CHECK (status IN ('running', 'succeeded', 'partially_failed', 'failed', 'cancelled', 'interrupted')),
    total_files   INTEGER NOT NULL CHECK (total_files >= 0),
    done_files    INTEGER NOT NULL DEFAULT 0 CHECK (done_files >= 0),
    total_bytes   INTEGER NOT NULL CHECK (total_bytes >= 0),
    done_bytes    INTEGER NOT NULL DEFAULT 0 CHECK (done_bytes >= 0),
    current_file  TEXT,
    -- 'host/pid/process-start-ticks' of the process running the job: on start, a running job is marked
    -- interrupted only when that process is gone, so a CLI opened beside a live server leaves its jobs alone.
    owner         TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER
) STRICT;

CREATE INDEX ix_ingestion_jobs_collection ON ingestion_jobs (collection_id, created_at);
CREATE INDEX ix_ingestion_jobs_created ON ingestion_jobs (created_at);
CREATE INDEX ix_ingestion_jobs_running ON ingestion_jobs (status) WHERE status = 'running';

-- document_id has no foreign key: a job's history outlives the documents it touched.
CREATE TABLE job_file_results (
    id                INTEGER NOT NULL PRIMARY KEY, -- insertion order
    job_id            TEXT    NOT NULL REFERENCES ingestion_jobs (id) ON DELETE CASCADE,
    path              TEXT    NOT NULL,
    outcome           TEXT    NOT NULL CHECK (outcome IN ('ingested', 'unchanged', 'duplicate', 'failed')),
    document_id       TEXT,
    version           INTEGER,
    media_type        TEXT,
    size_bytes        INTEGER NOT NULL CHECK (size_bytes >= 0),
    chunks            INTEGER NOT NULL CHECK (chunks >= 0),
    dropped_chunks    TEXT    NOT NULL DEFAULT '[]', -- JSON array of DroppedChunk
    pages_needing_ocr TEXT    NOT NULL DEFAULT '[]', -- JSON array of 1-based page numbers
    error_code        TEXT,
    error_message     TEXT
) STRICT;

CREATE INDEX ix_job_file_results_job ON job_file_results (job_id, id);
