namespace Hanlin.Server.FineTuning;

/// <summary>The answer to <c>DELETE /v1/files/{id}</c>.</summary>
public sealed record FileDeletedResponse(string Id, string Object, bool Deleted);
