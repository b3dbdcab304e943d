namespace Hanlin.Server.Contracts;

/// <summary>Answer to an upload: the job that will ingest the files, and where to follow it.</summary>
public sealed record UploadAcceptedResponse(string JobId, string Collection, IReadOnlyList<string> Files, string StatusUrl);
