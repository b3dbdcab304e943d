using System.Text;
using Hanlin.Rag.Answers;
using Hanlin.Rag.Context;
using Microsoft.Extensions.AI;

namespace Hanlin.Rag.Prompts;

/// <summary>
/// The chat messages for a generated answer: a system message (Chinese or English) with the rules and the
/// numbered sources, the earlier turns, then the question. The rules demand a <c>[n]</c> after every
/// sentence, no outside knowledge, and the exact refusal sentence when the sources lack the answer.
/// </summary>
public static class PromptBuilder
{
    private const string ZhRules =
        "你是翰林知识库的问答助手。只能根据下面编号的资料回答用户的问题，不得使用资料以外的知识。\n" +
        "规则：\n" +
        "1. 每一句话末尾用方括号标注所依据资料的编号，例如[1]或[1][2]；只能引用下面列出的编号。\n" +
        "2. 数字、剂量、日期、比例必须与资料完全一致。\n" +
        "3. 如果资料中没有答案，只回答：“{0}”，不要猜测。\n" +
        "4. 用简洁的中文回答。\n\n资料：\n";

    private const string EnRules =
        "You are Hanlin's knowledge-base assistant. Answer the user's question only from the numbered sources below; do not use outside knowledge.\n" +
        "Rules:\n" +
        "1. End every sentence with the number of the source it relies on in square brackets, e.g. [1] or [1][2]; cite only the numbers listed below.\n" +
        "2. Numbers, doses, dates and ratios must match the sources exactly.\n" +
        "3. If the sources do not contain the answer, reply exactly: \"{0}\" and do not guess.\n" +
        "4. Answer concisely in English.\n\nSources:\n";

    /// <summary>Builds the messages for <paramref name="question"/>.</summary>
    public static IReadOnlyList<ChatMessage> Build(
        string question,
        string language,
        string refusal,
        IReadOnlyList<EvidencePassage> passages,
        IReadOnlyList<ConversationTurn> history)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(passages);
        ArgumentNullException.ThrowIfNull(history);
        var system = new StringBuilder();
        system.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, language == "zh" ? ZhRules : EnRules, refusal);
        foreach (var passage in passages)
        {
            system.Append('[').Append(passage.Number).Append("] ").Append(passage.Document.SourceName);
            if (passage.Chunk.SectionPath.Length > 0)
            {
                system.Append(" — ").Append(passage.Chunk.SectionPath);
            }

            if (passage.Chunk.PageStart is { } page)
            {
                system.Append(language == "zh" ? $"（第{page}页）" : $" (page {page})");
            }

            system.Append('\n').Append(passage.Chunk.Text.Trim()).Append("\n\n");
        }

        var messages = new List<ChatMessage>(history.Count + 2) { new(ChatRole.System, system.ToString()) };
        foreach (var turn in history)
        {
            var role = string.Equals(turn.Role, "assistant", StringComparison.OrdinalIgnoreCase) ? ChatRole.Assistant : ChatRole.User;
            messages.Add(new ChatMessage(role, turn.Content));
        }

        messages.Add(new ChatMessage(ChatRole.User, question));
        return messages;
    }
}
