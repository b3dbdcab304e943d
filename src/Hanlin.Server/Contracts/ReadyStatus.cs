namespace Hanlin.Server.Contracts;

/// <summary>Body of <c>/readyz</c>: <c>ready</c>, <c>starting</c> or <c>failed</c> with the reason.</summary>
public sealed record ReadyStatus(string Status, string? Error);
