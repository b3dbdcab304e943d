namespace Hanlin.Server.Contracts;

/// <summary>Body of <c>POST /api/collections</c>.</summary>
public sealed record CreateCollectionRequest(string? Name, string? Description);
