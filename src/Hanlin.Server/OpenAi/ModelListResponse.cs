namespace Hanlin.Server.OpenAi;

/// <summary><c>GET /v1/models</c>: knowledge-base models <c>kb:&lt;collection&gt;</c> and configured chat models.</summary>
public sealed record ModelListResponse(string Object, IReadOnlyList<ModelResponse> Data);
