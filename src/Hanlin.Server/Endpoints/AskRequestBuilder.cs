using Hanlin.Core.Collections;
using Hanlin.Core.Errors;
using Hanlin.Core.Storage;
using Hanlin.Rag.Answers;
using Hanlin.Retrieval;
using Hanlin.Server.Contracts;
using Hanlin.Server.Security;

namespace Hanlin.Server.Endpoints;

/// <summary>
/// Builds the <see cref="AskRequest"/> of a knowledge-base question for <c>POST /api/ask</c> and for
/// <c>kb:&lt;collection&gt;</c> chat completions alike, so both check the question, top_k, mode and language the same
/// way and both pass through the access-control hook of <see cref="RequestFilters.ResolveAsync"/>.
/// </summary>
internal static class AskRequestBuilder
{
    /// <summary>Retrieved passages when the request names no top_k.</summary>
    public const int DefaultTopK = 8;

    /// <summary>Validates the parts of a question and resolves its collections against the caller's key.</summary>
    /// <param name="store">Where collections are looked up.</param>
    /// <param name="caller">The authenticated caller whose key limits the collections.</param>
    /// <param name="maxQuestionLength">Longest question in characters.</param>
    /// <param name="question">The question as sent.</param>
    /// <param name="questionField">How errors name the question (<c>question</c>, <c>latest user message</c>).</param>
    /// <param name="history">Earlier turns, already checked by the endpoint's own rules.</param>
    /// <param name="collections">Collection names or ids; null or empty: every collection the caller may use.</param>
    /// <param name="filters">Document, tag and date restrictions, or null.</param>
    /// <param name="topK">Passages to retrieve, or null for <see cref="DefaultTopK"/>.</param>
    /// <param name="mode"><c>bm25</c>, <c>vector</c> or <c>hybrid</c>; null: hybrid.</param>
    /// <param name="language"><c>zh</c>, <c>en</c>, or null to answer in the question's language.</param>
    /// <param name="cancellationToken">Cancels the collection look-ups.</param>
    /// <exception cref="HanlinException"><c>invalid_argument</c>, <c>collection_not_found</c> or <c>collection_forbidden</c>, naming the field.</exception>
    public static async Task<AskRequest> BuildAsync(
        IKnowledgeStore store,
        ApiCaller caller,
        int maxQuestionLength,
        string? question,
        string questionField,
        IReadOnlyList<ConversationTurn> history,
        IReadOnlyList<string>? collections,
        SearchFilters? filters = null,
        int? topK = null,
        string? mode = null,
        string? language = null,
        CancellationToken cancellationToken = default)
    {
        var validated = RequestFilters.ValidateQuestion(question, maxQuestionLength, questionField);
        var filter = await RequestFilters.ResolveAsync(store, caller, collections, filters, cancellationToken).ConfigureAwait(false);
        return Build(validated, filter, history, topK, mode, language);
    }

    /// <summary>
    /// As <see cref="BuildAsync"/> for one collection the caller already looked up, which is not looked up again.
    /// </summary>
    public static async Task<AskRequest> BuildForCollectionAsync(
        IKnowledgeStore store,
        ApiCaller caller,
        int maxQuestionLength,
        string? question,
        string questionField,
        IReadOnlyList<ConversationTurn> history,
        Collection collection,
        CancellationToken cancellationToken = default)
    {
        var validated = RequestFilters.ValidateQuestion(question, maxQuestionLength, questionField);
        var filter = await RequestFilters.ResolveForCollectionAsync(store, caller, collection, null, cancellationToken).ConfigureAwait(false);
        return Build(validated, filter, history, null, null, null);
    }

    private static AskRequest Build(string question, SearchFilter filter, IReadOnlyList<ConversationTurn> history, int? topK, string? mode, string? language) =>
        new(question)
        {
            Filter = filter,
            TopK = RequestFilters.ValidateTopK(topK, DefaultTopK),
            Mode = RequestFilters.ParseMode(mode),
            History = history,
            Language = ValidateLanguage(language),
        };

    private static string? ValidateLanguage(string? language) => language switch
    {
        null or "" => null,
        "zh" or "en" => language,
        _ => throw new HanlinException(ErrorCodes.InvalidArgument, $"language must be 'zh' or 'en', not '{language}'."),
    };
}
