namespace Hanlin.Server.OpenAi;

/// <summary>One model.</summary>
public sealed record ModelResponse(string Id, string Object, long Created, string OwnedBy);
