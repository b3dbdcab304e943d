using Hanlin.Core.Documents;
using Hanlin.Core.Errors;
using Hanlin.Core.Storage;
using Hanlin.Training.Datasets;
using Hanlin.Training.Evaluation;
using Microsoft.Extensions.AI;

namespace Hanlin.Training.Synthesis;

/// <summary>
/// Builds supervised fine-tuning pairs from a knowledge-base collection. Without a teacher, each passage becomes an
/// extractive pair: a question made from its document title and heading path, the passage as the answer. With a
/// teacher chat model, the teacher reads each passage, writes questions it answers and then answers each one from the
/// passage alone (distillation of the teacher into the student). Every answer ends with a citation marker naming the
/// source document and section, so the student learns to cite. Questions can be augmented with a user's domain
/// synonyms and paraphrased by back-translation through the teacher.
/// </summary>
public sealed class KnowledgeDatasetBuilder
{
    /// <summary>The first line of the teacher's question-writing prompt.</summary>
    public const string QuestionTask = "Write questions for a reading-comprehension dataset.";

    /// <summary>The first line of the teacher's answering prompt.</summary>
    public const string AnswerTask = "Answer the question using only the passage.";

    /// <summary>The first line of the teacher's translation prompt.</summary>
    public const string TranslateTask = "Translate the text.";

    private static readonly ChatOptions Deterministic = new() { Temperature = 0 };
    private readonly IKnowledgeStore _store;
    private readonly IChatClient? _teacher;

    /// <summary>Creates a builder over <paramref name="store"/>; <paramref name="teacher"/> null makes extractive pairs only.</summary>
    public KnowledgeDatasetBuilder(IKnowledgeStore store, IChatClient? teacher = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _teacher = teacher;
    }

    /// <summary>Builds the pairs of collection <paramref name="collection"/> (name or id).</summary>
    /// <exception cref="HanlinException"><c>collection_not_found</c>; <c>invalid_argument</c> when back-translation is asked without a teacher; <c>dataset_empty</c> when no pair could be made.</exception>
    public async Task<KnowledgeDatasetResult> BuildAsync(string collection, KnowledgeDatasetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(collection);
        options ??= new KnowledgeDatasetOptions();
        if (options.BackTranslate && _teacher is null)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, "Back-translation needs a teacher model to translate through.");
        }

        var found = await _store.GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false)
            ?? throw new HanlinException(ErrorCodes.CollectionNotFound, $"Collection '{collection}' does not exist.");
        var pairs = new List<KnowledgePair>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var passages = 0;
        var skipped = 0;
        foreach (var document in await _store.ListDocumentsAsync(found.Id, cancellationToken).ConfigureAwait(false))
        {
            if (passages >= options.MaxPassages)
            {
                break;
            }

            foreach (var chunk in await _store.GetChunksAsync(document.Id, cancellationToken).ConfigureAwait(false))
            {
                if (passages >= options.MaxPassages)
                {
                    break;
                }

                passages++;
                var text = chunk.Text.Trim();
                if (text.Length < options.MinPassageCharacters)
                {
                    skipped++;
                    continue;
                }

                var citation = Citation(document, chunk);
                var made = _teacher is null
                    ? [Extractive(document, chunk, text, citation)]
                    : await TeacherPairsAsync(_teacher, document, chunk, text, citation, options, cancellationToken).ConfigureAwait(false);
                if (made.Count == 0)
                {
                    skipped++;
                }

                foreach (var pair in made)
                {
                    await AddWithAugmentationsAsync(pair, options, pairs, seen, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (pairs.Count == 0)
        {
            throw new HanlinException(ErrorCodes.DatasetEmpty, $"No question/answer pair could be made from collection '{found.Name}' ({passages} passages, {skipped} skipped).");
        }

        var examples = pairs.Select((p, i) => ToExample(i + 1, p, options.SystemPrompt)).ToList();
        return new KnowledgeDatasetResult(pairs, examples, passages, skipped);
    }

    /// <summary>The citation marker of a passage: <c>[source: DOCUMENT § SECTION PATH]</c>, or without the section when it has none.</summary>
    public static string Citation(Document document, Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunk);
        return string.IsNullOrWhiteSpace(chunk.SectionPath)
            ? $"[source: {document.SourceName}]"
            : $"[source: {document.SourceName} § {chunk.SectionPath}]";
    }

    private static KnowledgePair Extractive(Document document, Chunk chunk, string text, string citation)
    {
        var sections = chunk.SectionPath.Split(" > ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var topic = sections.Length > 0 ? sections[^1] : document.Title ?? Path.GetFileNameWithoutExtension(document.SourceName);
        var context = sections.Length > 1 ? sections[0] : document.Title;
        var chinese = MetricText.ContainsCjk(topic) || MetricText.ContainsCjk(text);
        var question = (chinese, context is null || string.Equals(context, topic, StringComparison.Ordinal)) switch
        {
            (true, true) => $"关于“{topic}”，资料中是怎么说的？",
            (true, false) => $"《{context}》中关于“{topic}”的内容是什么？",
            (false, true) => $"What does the documentation say about {topic}?",
            (false, false) => $"What does the documentation on {context} say about {topic}?",
        };
        return new KnowledgePair(question, $"{WithoutHeadings(text, sections)} {citation}", citation, document.Id, chunk.Id, KnowledgePairOrigin.Extractive);
    }

    // Chunks repeat their heading path at the top for retrieval; an answer should start with its content.
    private static string WithoutHeadings(string text, string[] sections)
    {
        var paragraphs = text.Split("\n\n").ToList();
        while (paragraphs.Count > 1 && sections.Contains(paragraphs[0].Trim().TrimStart('#', ' '), StringComparer.Ordinal))
        {
            paragraphs.RemoveAt(0);
        }

        return string.Join("\n\n", paragraphs).Trim();
    }

    private static async Task<IReadOnlyList<KnowledgePair>> TeacherPairsAsync(
        IChatClient teacher, Document document, Chunk chunk, string text, string citation, KnowledgeDatasetOptions options, CancellationToken cancellationToken)
    {
        var source = $"Source: {citation}\nPassage:\n{text}";
        var questionsText = await AskAsync(
            teacher,
            $"{QuestionTask}\nWrite {options.QuestionsPerPassage} different questions that the passage below answers, in the passage's language. One question per line, no numbering, nothing else.\n\n{source}",
            cancellationToken).ConfigureAwait(false);
        var questions = questionsText.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(q => q.TrimStart('-', '*', ' ', '\t').TrimStart("0123456789.)、 ".ToCharArray()).Trim())
            .Where(q => q.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Take(options.QuestionsPerPassage)
            .ToList();
        var pairs = new List<KnowledgePair>();
        foreach (var question in questions)
        {
            var answer = (await AskAsync(
                teacher,
                $"{AnswerTask}\nAnswer in the question's language and end the answer with the citation {citation} exactly as written.\n\n{source}\n\nQuestion: {question}",
                cancellationToken).ConfigureAwait(false)).Trim();
            if (answer.Length == 0)
            {
                continue;
            }

            // The student must learn to cite: a teacher that forgot the marker gets it appended, never a different one.
            if (!answer.Contains(citation, StringComparison.Ordinal))
            {
                answer = $"{answer} {citation}";
            }

            pairs.Add(new KnowledgePair(question, answer, citation, document.Id, chunk.Id, KnowledgePairOrigin.Teacher));
        }

        return pairs;
    }

    private async Task AddWithAugmentationsAsync(KnowledgePair pair, KnowledgeDatasetOptions options, List<KnowledgePair> pairs, HashSet<string> seen, CancellationToken cancellationToken)
    {
        if (!seen.Add(pair.Question))
        {
            return;
        }

        pairs.Add(pair);
        if (options.Synonyms is { } synonyms)
        {
            foreach (var variant in synonyms.Variants(pair.Question, options.VariantsPerQuestion))
            {
                if (seen.Add(variant))
                {
                    pairs.Add(pair with { Question = variant, Origin = KnowledgePairOrigin.Synonym });
                }
            }
        }

        if (options.BackTranslate && _teacher is not null)
        {
            var pivot = await AskAsync(_teacher, $"{TranslateTask}\nTranslate into {options.PivotLanguage}. Reply with the translation only.\n\nText: {pair.Question}", cancellationToken).ConfigureAwait(false);
            var language = MetricText.ContainsCjk(pair.Question) ? "Chinese" : "English";
            var back = (await AskAsync(_teacher, $"{TranslateTask}\nTranslate into {language}. Reply with the translation only.\n\nText: {pivot.Trim()}", cancellationToken).ConfigureAwait(false)).Trim();
            if (back.Length > 0 && seen.Add(back))
            {
                pairs.Add(pair with { Question = back, Origin = KnowledgePairOrigin.BackTranslation });
            }
        }
    }

    private static async Task<string> AskAsync(IChatClient teacher, string prompt, CancellationToken cancellationToken)
    {
        var response = await teacher.GetResponseAsync([new ChatMessage(Microsoft.Extensions.AI.ChatRole.User, prompt)], Deterministic, cancellationToken).ConfigureAwait(false);
        return response.Text;
    }

    private static TrainingExample ToExample(int number, KnowledgePair pair, string? systemPrompt)
    {
        var messages = new List<TrainingMessage>();
        if (!string.IsNullOrWhiteSpace(systemPrompt))
        {
            messages.Add(new TrainingMessage(Datasets.ChatRole.System, systemPrompt));
        }

        messages.Add(new TrainingMessage(Datasets.ChatRole.User, pair.Question));
        messages.Add(new TrainingMessage(Datasets.ChatRole.Assistant, pair.Answer));
        return new TrainingExample(number, messages);
    }
}
