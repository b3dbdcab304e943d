using Microsoft.Extensions.AI;

namespace Hanlin.Rag.Models;

/// <summary>A chat model the answerer may generate with, under the name requests use to pick it.</summary>
/// <param name="Name">The model name (e.g. <c>qwen2.5-7b-instruct</c>), unique, case-insensitive.</param>
/// <param name="Client">The client (a remote OpenAI-compatible endpoint or a local model).</param>
public sealed record NamedChatClient(string Name, IChatClient Client);
