namespace Hanlin.Training.Jobs;

/// <summary>
/// The life of a fine-tuning job, as OpenAI names it: <c>validating_files → queued → running → succeeded | failed |
/// cancelled</c>. The last three are final.
/// </summary>
public enum FineTuneJobStatus
{
    /// <summary>The training (and validation) file is being read and checked.</summary>
    ValidatingFiles,

    /// <summary>The files are valid; the job waits for the trainer (one job trains at a time).</summary>
    Queued,

    /// <summary>The trainer is working on it.</summary>
    Running,

    /// <summary>Training finished and the fine-tuned model is registered.</summary>
    Succeeded,

    /// <summary>Validation or training failed; the job's error says why.</summary>
    Failed,

    /// <summary>Cancelled on request; checkpoints written so far are kept.</summary>
    Cancelled,
}
