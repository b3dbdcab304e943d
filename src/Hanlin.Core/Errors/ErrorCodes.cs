namespace Hanlin.Core.Errors;

/// <summary>Stable error codes shared by the CLI (<c>--json</c>), the HTTP API and job results.</summary>
public static class ErrorCodes
{
    // Input files.
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string EmptyFile = "empty_file";
    public const string CorruptFile = "corrupt_file";
    public const string EncryptedFile = "encrypted_file";
    public const string ArchiveBomb = "archive_bomb";
    public const string FileTooLarge = "file_too_large";
    public const string BinaryContent = "binary_content";
    public const string InvalidFileName = "invalid_file_name";
    public const string UnreadableFile = "unreadable_file";
    public const string FileNotFound = "file_not_found";
    public const string NoTextContent = "no_text_content";

    // Catalogue.
    public const string CollectionNotFound = "collection_not_found";
    public const string CollectionExists = "collection_exists";
    public const string InvalidCollectionName = "invalid_collection_name";
    public const string DocumentNotFound = "document_not_found";
    public const string JobNotFound = "job_not_found";

    // Storage.
    public const string StorageCorrupt = "storage_corrupt";
    public const string SchemaTooNew = "schema_too_new";

    // Models.
    public const string RuntimeUnavailable = "runtime_unavailable";
    public const string ContextLengthExceeded = "context_length_exceeded";
    public const string UnsupportedModel = "unsupported_model";

    // Chat templates: a template that does not parse, one that fails while rendering, and one whose
    // own raise_exception rejected the conversation (for example roles that do not alternate).
    public const string ChatTemplateInvalid = "chat_template_invalid";
    public const string ChatTemplateFailed = "chat_template_failed";
    public const string ChatTemplateRejected = "chat_template_rejected";

    // Training datasets.
    public const string DatasetEmpty = "dataset_empty";
    public const string DatasetInvalid = "dataset_invalid";

    // Fine-tuning jobs: cancelling one that already finished; deleting a file a job still uses.
    public const string JobNotCancellable = "job_not_cancellable";
    public const string FileInUse = "file_in_use";

    // Fine-tuning: chat data for a model without a chat template, a loss that became NaN/Inf,
    // and a checkpoint that could not be written (the previous one is kept intact).
    public const string ChatTemplateMissing = "chat_template_missing";
    public const string TrainingDiverged = "training_diverged";
    public const string CheckpointFailed = "checkpoint_failed";

    // Model registry.
    public const string ModelNotFound = "model_not_found";
    public const string ModelChecksumMismatch = "model_checksum_mismatch";
    public const string ModelNoPreviousVersion = "model_no_previous_version";

    // Generic.
    public const string InvalidArgument = "invalid_argument";
    public const string Overloaded = "overloaded";
    public const string Cancelled = "cancelled";
    public const string Internal = "internal_error";
}
