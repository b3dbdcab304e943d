namespace Hanlin.Server.Contracts;

/// <summary>An earlier conversation turn: role <c>user</c> or <c>assistant</c>.</summary>
public sealed record TurnBody(string? Role, string? Content);
