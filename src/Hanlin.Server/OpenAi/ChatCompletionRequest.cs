namespace Hanlin.Server.OpenAi;

/// <summary>The subset of OpenAI's chat completion request that Hanlin honours; other fields are accepted and ignored.</summary>
public sealed record ChatCompletionRequest(
    string? Model,
    IReadOnlyList<ChatMessageBody>? Messages,
    bool Stream,
    StreamOptionsBody? StreamOptions,
    float? Temperature,
    float? TopP,
    int? MaxTokens,
    int? MaxCompletionTokens);
