using System.CommandLine;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Rag;
using Hanlin.Rag.Answers;
using Hanlin.Rag.Evaluation;
using Hanlin.Rag.Models;
using Hanlin.Rag.Text;
using Hanlin.Retrieval;
using Hanlin.Retrieval.Analysis;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin eval retrieval|answers --corpus F --queries F</c>: retrieval and answer quality on a corpus and
/// query set in the <c>../shared/datasets</c> format, indexed into a temporary index (no data directory used).
/// </summary>
internal static class EvalCommands
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("eval", "Evaluate retrieval and answers on a JSONL corpus and query set, or a local model on a training dataset.");
        command.Subcommands.Add(RetrievalCommand(console));
        command.Subcommands.Add(AnswersCommand(console));
        command.Subcommands.Add(EvalModelCommand.Create(console));
        return command;
    }

    private static Command RetrievalCommand(IAnsiConsole console)
    {
        var (corpus, queries, limit) = CommonOptions();
        var mode = new Option<string>("--mode") { Description = "bm25, vector, hybrid or all.", DefaultValueFactory = _ => "all" };
        var command = new Command("retrieval", "recall@1/5/10, MRR@10 and nDCG@10 per retrieval mode.") { corpus, queries, mode, limit };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var modes = parseResult.GetValue(mode)!.ToLowerInvariant() switch
            {
                "all" => new[] { RetrievalMode.Bm25, RetrievalMode.Vector, RetrievalMode.Hybrid },
                "bm25" => [RetrievalMode.Bm25],
                "vector" => [RetrievalMode.Vector],
                "hybrid" => [RetrievalMode.Hybrid],
                var other => throw new HanlinException(ErrorCodes.InvalidArgument, $"--mode must be bm25, vector, hybrid or all, not '{other}'."),
            };
            var (passages, selected) = Load(parseResult, corpus, queries, limit);
            using var analyzer = new HanlinAnalyzer();
            using var index = await EvalIndex.BuildAsync(passages, analyzer, cancellationToken: cancellationToken).ConfigureAwait(false);
            var report = await RetrievalEvaluator.RunAsync(index, passages.Count, selected, modes, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, report);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Mode", "Queries", "R@1", "R@5", "R@10", "MRR@10", "nDCG@10", "ms/query");
            foreach (var m in report.Modes)
            {
                if (!m.Available)
                {
                    table.AddRow(m.Mode, "-", "-", "-", "-", "-", "-", Markup.Escape(m.Note ?? "unavailable"));
                    continue;
                }

                table.AddRow(m.Mode, m.Queries.ToString(), F(m.RecallAt1), F(m.RecallAt5), F(m.RecallAt10), F(m.MrrAt10), F(m.NdcgAt10), m.MeanMilliseconds.ToString("F2"));
            }

            console.MarkupLine($"{report.Passages:N0} passages, {report.Queries:N0} queries");
            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command AnswersCommand(IAnsiConsole console)
    {
        var (corpus, queries, limit) = CommonOptions();
        var replicate = new Option<int>("--replicate") { Description = "Index every passage this many times (as distinct chunks) to measure latency at scale; quality figures then count copies as non-gold.", DefaultValueFactory = _ => 1 };
        var command = new Command("answers", "Exact match, F1, ROUGE-L, citation precision, refusal rate and latency of the extractive answerer.") { corpus, queries, limit, replicate };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var (passages, selected) = Load(parseResult, corpus, queries, limit);
            var copies = parseResult.GetValue(replicate);
            if (copies is < 1 or > 1000)
            {
                throw new HanlinException(ErrorCodes.InvalidArgument, $"--replicate must be between 1 and 1000, not {copies}.");
            }

            if (copies > 1)
            {
                passages = [.. passages.Concat(Enumerable.Range(1, copies - 1).SelectMany(k => passages.Select(p => p with { Id = $"{p.Id}~{k}", ContextId = p.ContextId is null ? null : $"{p.ContextId}~{k}" })))];
            }

            using var analyzer = new HanlinAnalyzer();
            using var index = await EvalIndex.BuildAsync(passages, analyzer, cancellationToken: cancellationToken).ConfigureAwait(false);
            var answerer = new KnowledgeAnswerer(index, ChatModelCatalog.None, new ContentTerms(analyzer), Options.Create(new RagOptions()), statistics: index.Lexical);
            var texts = passages.ToDictionary(p => p.Id, p => p.Text, StringComparer.Ordinal);
            var report = await AnswerEvaluator.RunAsync(answerer, passages.Count, texts, selected, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, report);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Method", "Queries", "EM", "F1", "ROUGE-L", "Citation precision", "Refusal rate", "ms p50 / p99");
            table.AddRow(report.Method, report.Queries.ToString(), F(report.ExactMatch), F(report.F1), F(report.RougeL), $"{F(report.CitationPrecision)} ({report.CitedChunks} cited)", F(report.RefusalRate), $"{report.P50Milliseconds:F1} / {report.P99Milliseconds:F1}");
            console.MarkupLine($"{report.Passages:N0} passages, {report.Queries:N0} queries");
            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static (Option<string> Corpus, Option<string> Queries, Option<int?> Limit) CommonOptions() => (
        new Option<string>("--corpus") { Description = "corpus.jsonl: {id, text, context_id?, type?, title?} per line.", Required = true },
        new Option<string>("--queries") { Description = "queries.jsonl: {id, question, answers[], gold_passage_ids[]} per line.", Required = true },
        new Option<int?>("--limit") { Description = "Only the first N queries." });

    private static (IReadOnlyList<EvalPassage> Passages, IReadOnlyList<EvalQuery> Queries) Load(ParseResult parseResult, Option<string> corpus, Option<string> queries, Option<int?> limit)
    {
        var passages = EvalDataset.LoadCorpus(parseResult.GetValue(corpus)!);
        var all = EvalDataset.LoadQueries(parseResult.GetValue(queries)!);
        var n = parseResult.GetValue(limit);
        if (n is < 1)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"--limit must be positive, not {n}.");
        }

        return (passages, n is { } count ? [.. all.Take(count)] : all);
    }

    private static string F(double value) => value.ToString("F3");
}
