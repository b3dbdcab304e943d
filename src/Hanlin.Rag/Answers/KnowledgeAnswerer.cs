using System.Runtime.CompilerServices;
using System.Text;
using Hanlin.Core.Errors;
using Hanlin.Core.Storage;
using Hanlin.Ingestion.Chunking;
using Hanlin.Rag.Context;
using Hanlin.Rag.Models;
using Hanlin.Rag.Prompts;
using Hanlin.Rag.Search;
using Hanlin.Rag.Text;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Lexical;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Hanlin.Rag.Answers;

/// <summary>
/// Answers from the knowledge base: retrieve, assemble the numbered context within the token budget,
/// refuse when the evidence is too weak, otherwise generate (a chat model from <see cref="ChatModelCatalog"/>)
/// or extract (<see cref="ExtractiveAnswerer"/>), then verify every sentence and citation.
/// </summary>
public sealed class KnowledgeAnswerer : IKnowledgeAnswerer
{
    /// <summary>The longest history accepted, in turns; older turns are dropped first.</summary>
    public const int MaxHistoryTurns = 20;

    // Earlier user questions that give a follow-up its subject, latest first, and the most characters of them used.
    private const int ContextTurns = 2;
    private const int MaxContextLength = 1000;

    private readonly IKnowledgeSearch _search;
    private readonly LuceneBm25Index? _statistics;
    private readonly ChatModelCatalog _models;
    private readonly ContentTerms _terms;
    private readonly RagOptions _options;
    private readonly ContextAssembler _assembler;
    private readonly SentenceSplitter _splitter = new();
    private readonly PassageAnalysisCache? _analysisCache;
    private readonly CitationVerifier _verifier;
    private readonly ExtractiveAnswerer _extractive;
    private readonly QueryAdmission? _admission;

    /// <summary>Creates the answerer; <paramref name="store"/> is needed only for neighbour expansion.</summary>
    /// <param name="search">Retrieval with storage hydration.</param>
    /// <param name="models">Chat models by name; with none configured answers are extractive.</param>
    /// <param name="terms">Content-term extraction (the retrieval analyzer).</param>
    /// <param name="options">Thresholds, budget, refusals.</param>
    /// <param name="store">Storage, for neighbour expansion; null disables it.</param>
    /// <param name="statistics">The BM25 index, whose document frequencies weight question terms; null weighs them equally.</param>
    /// <param name="admission">
    /// Where the CPU work after retrieval (evidence analysis, extraction, verification) takes its turn, as searches
    /// do; null runs it at once. A chat model's generation never holds a turn.
    /// </param>
    public KnowledgeAnswerer(
        IKnowledgeSearch search,
        ChatModelCatalog models,
        ContentTerms terms,
        IOptions<RagOptions> options,
        IKnowledgeStore? store = null,
        LuceneBm25Index? statistics = null,
        QueryAdmission? admission = null)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(options);
        _search = search;
        _statistics = statistics;
        _models = models;
        _terms = terms;
        _options = options.Value;
        _assembler = new ContextAssembler(_options, store);
        _analysisCache = _options.AnalysisCacheChunks > 0 ? new PassageAnalysisCache(_options.AnalysisCacheChunks) : null;
        _verifier = new CitationVerifier(terms, _splitter, _options.SupportThreshold);
        _extractive = new ExtractiveAnswerer(_options.MaxExtractiveSentences);
        _admission = admission;
    }

    /// <inheritdoc />
    public async Task<RagAnswer> AskAsync(AskRequest request, CancellationToken cancellationToken = default)
    {
        Prepared prepared;
        using (var turn = await PrepareAsync(request, cancellationToken).ConfigureAwait(false))
        {
            prepared = turn.Prepared;
            if (prepared.Weak)
            {
                return Refusal(prepared);
            }

            if (prepared.Client is null)
            {
                var sentences = _extractive.Answer(prepared.Evidence, prepared.Language);
                return sentences.Count == 0 ? Refusal(prepared) : Finish(prepared, ExtractiveAnswerer.Join(sentences, prepared.Language), AnswerMethod.Extractive, null);
            }
        }

        var messages = PromptBuilder.Build(prepared.Question, prepared.Language, _options.RefusalFor(prepared.Language), prepared.Passages, prepared.History);
        var response = await prepared.Client.GetResponseAsync(messages, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Finish(prepared, response.Text, AnswerMethod.Generative, response.Usage);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AnswerUpdate> AskStreamingAsync(AskRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Prepared prepared;
        IReadOnlyList<string>? extracted = null;
        RagAnswer? completed;
        using (var turn = await PrepareAsync(request, cancellationToken).ConfigureAwait(false))
        {
            // Everything but generation is computed before the first update is written, so no turn waits on a slow reader.
            prepared = turn.Prepared;
            if (!prepared.Weak && prepared.Client is null)
            {
                extracted = _extractive.Answer(prepared.Evidence, prepared.Language);
            }

            completed = prepared.Weak || extracted is { Count: 0 }
                ? Refusal(prepared)
                : extracted is not null ? Finish(prepared, ExtractiveAnswerer.Join(extracted, prepared.Language), AnswerMethod.Extractive, null) : null;
        }

        if (prepared.Weak || extracted is { Count: 0 })
        {
            var refusal = completed!;
            yield return new AnswerUpdate { Citations = [] };
            yield return new AnswerUpdate { Delta = refusal.Text };
            yield return new AnswerUpdate { Completed = refusal };
            yield break;
        }

        yield return new AnswerUpdate { Citations = [.. prepared.Passages.Select(p => p.ToCitation())] };
        if (extracted is not null)
        {
            var joiner = prepared.Language == "zh" ? string.Empty : " ";
            for (var i = 0; i < extracted.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new AnswerUpdate { Delta = i == 0 ? extracted[i] : joiner + extracted[i] };
            }

            yield return new AnswerUpdate { Completed = completed };
            yield break;
        }

        var messages = PromptBuilder.Build(prepared.Question, prepared.Language, _options.RefusalFor(prepared.Language), prepared.Passages, prepared.History);
        var text = new StringBuilder();
        UsageDetails? usage = null;
        await foreach (var update in prepared.Client!.GetStreamingResponseAsync(messages, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var content in update.Contents)
            {
                if (content is UsageContent u)
                {
                    usage = u.Details;
                }
            }

            var delta = update.Text;
            if (!string.IsNullOrEmpty(delta))
            {
                text.Append(delta);
                yield return new AnswerUpdate { Delta = delta };
            }
        }

        yield return new AnswerUpdate { Completed = Finish(prepared, text.ToString(), AnswerMethod.Generative, usage) };
    }

    /// <summary>Retrieves (the search takes its own turn), then takes a turn for the analysis; the caller ends it.</summary>
    private async Task<PreparedTurn> PrepareAsync(AskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "The question is empty.");
        }

        // Resolve the model before retrieval, so an unknown model name fails fast.
        var client = _models.Resolve(request.ChatModel);
        var question = request.Question.Trim();
        var language = LanguageDetector.Normalize(request.Language) ?? LanguageDetector.Detect(question);
        var result = await _search.SearchAsync(
            new KnowledgeSearchRequest(question) { Context = RetrievalContext(request.History), Filter = request.Filter, TopK = request.TopK, Mode = request.Mode },
            cancellationToken).ConfigureAwait(false);
        var passages = await _assembler.AssembleAsync(result.Hits, cancellationToken).ConfigureAwait(false);
        var turn = _admission is null ? null : await _admission.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var evidence = EvidenceAnalysis.Create(question, passages, _terms, _splitter, _statistics, _analysisCache);
            var history = request.History.Count <= MaxHistoryTurns ? request.History : [.. request.History.Skip(request.History.Count - MaxHistoryTurns)];
            return new PreparedTurn(new Prepared(question, language, result.ModeUsed, result.Notice, passages, evidence, client, history, evidence.Strength < _options.MinEvidence), turn);
        }
        catch
        {
            turn?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The conversation condensed for retrieval: the last user questions before this one, latest first. Retrieval
    /// weighs them below the question itself, so a follow-up ("and its side effects?") is searched with the subject
    /// asked about before, while a new self-contained question still ranks by its own terms. Assistant turns are
    /// left out: they restate retrieved text and would pull the search back to the previous answer.
    /// </summary>
    internal static string? RetrievalContext(IReadOnlyList<ConversationTurn> history)
    {
        var parts = new List<string>(ContextTurns);
        var length = 0;
        for (var i = history.Count - 1; i >= 0 && parts.Count < ContextTurns && length < MaxContextLength; i--)
        {
            var turn = history[i];
            if (string.Equals(turn.Role, "user", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(turn.Content))
            {
                var content = turn.Content.Trim();
                content = content.Length > MaxContextLength - length ? content[..(MaxContextLength - length)] : content;
                parts.Add(content);
                length += content.Length;
            }
        }

        return parts.Count == 0 ? null : string.Join('\n', parts);
    }

    private RagAnswer Refusal(Prepared prepared)
    {
        var text = _options.RefusalFor(prepared.Language);
        return new RagAnswer(
            text,
            [],
            [],
            Refused: true,
            prepared.Language,
            prepared.Client is null ? AnswerMethod.Extractive : AnswerMethod.Generative,
            prepared.ModeUsed,
            new AnswerUsage(TokenCounter.Default.Count(prepared.Question), TokenCounter.Default.Count(text)),
            prepared.Notice);
    }

    private RagAnswer Finish(Prepared prepared, string text, AnswerMethod method, UsageDetails? usage)
    {
        text = text.Trim();
        var inputTokens = usage?.InputTokenCount is { } input
            ? (int)Math.Min(input, int.MaxValue)
            : prepared.Passages.Sum(p => p.Chunk.TokenCount) + TokenCounter.Default.Count(prepared.Question);
        var outputTokens = usage?.OutputTokenCount is { } output ? (int)Math.Min(output, int.MaxValue) : TokenCounter.Default.Count(text);
        var answerUsage = new AnswerUsage(inputTokens, outputTokens);
        if (IsRefusal(text, prepared.Language))
        {
            return new RagAnswer(text, [], [], Refused: true, prepared.Language, method, prepared.ModeUsed, answerUsage, prepared.Notice);
        }

        var verification = _verifier.Verify(text, prepared.Evidence.Passages);
        return new RagAnswer(
            text,
            [.. prepared.Passages.Select(p => p.ToCitation())],
            verification,
            Refused: false,
            prepared.Language,
            method,
            prepared.ModeUsed,
            answerUsage,
            prepared.Notice);
    }

    // A model that follows the prompt answers a missing fact with the configured sentence and no markers.
    private bool IsRefusal(string text, string language)
    {
        if (text.Length == 0)
        {
            return true;
        }

        if (CitationVerifier.Markers(text).Count > 0)
        {
            return false;
        }

        var refusal = _options.RefusalFor(language).TrimEnd('。', '.', '!', '！');
        return text.Contains(refusal, StringComparison.OrdinalIgnoreCase)
            || text.Contains(_options.RefusalFor(language == "zh" ? "en" : "zh").TrimEnd('。', '.'), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A prepared question and the admission turn its analysis holds until disposed.</summary>
    private sealed record PreparedTurn(Prepared Prepared, IDisposable? Turn) : IDisposable
    {
        public void Dispose() => Turn?.Dispose();
    }

    private sealed record Prepared(
        string Question,
        string Language,
        RetrievalMode ModeUsed,
        string? Notice,
        IReadOnlyList<EvidencePassage> Passages,
        EvidenceAnalysis Evidence,
        IChatClient? Client,
        IReadOnlyList<ConversationTurn> History,
        bool Weak);
}
