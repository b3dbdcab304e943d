namespace Hanlin.Server.FineTuning;

/// <summary>OpenAI's <c>file</c> object.</summary>
public sealed record FileObjectResponse(string Id, string Object, long Bytes, long CreatedAt, string Filename, string Purpose, string Status);
