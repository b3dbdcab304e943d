namespace Hanlin.Server.FineTuning;

/// <summary>Why a job failed: a stable code and a sentence (<c>param</c> names the offending field when known).</summary>
public sealed record FineTuningErrorBody(string Code, string Message, string? Param);
