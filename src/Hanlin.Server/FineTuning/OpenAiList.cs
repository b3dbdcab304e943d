namespace Hanlin.Server.FineTuning;

/// <summary>OpenAI's list envelope: <c>{"object":"list","data":[…],"has_more":…}</c>.</summary>
/// <typeparam name="T">The listed objects.</typeparam>
public sealed record OpenAiList<T>(string Object, IReadOnlyList<T> Data, bool HasMore);
