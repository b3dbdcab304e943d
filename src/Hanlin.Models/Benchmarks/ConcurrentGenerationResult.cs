namespace Hanlin.Models.Benchmarks;

/// <summary>Aggregate decode throughput of concurrent greedy requests sharing one model (<see cref="GenerationBenchmark.RunConcurrentAsync"/>).</summary>
/// <param name="Concurrency">Requests running at once (and the batcher's batch size).</param>
/// <param name="PromptTokens">Prompt length of each request.</param>
/// <param name="DecodeTokens">Tokens each request generates.</param>
/// <param name="DecodeTokensPerSecond">Tokens of all requests produced while every request was decoding, divided by that window's wall time.</param>
/// <param name="PerRequestTokensPerSecond">The same divided by <paramref name="Concurrency"/>: what one user sees.</param>
/// <param name="CpuSecondsPerToken">Process CPU time over the window divided by the tokens produced in it.</param>
/// <param name="Wall">Whole run, prompts included.</param>
public sealed record ConcurrentGenerationResult(
    int Concurrency,
    int PromptTokens,
    int DecodeTokens,
    double DecodeTokensPerSecond,
    double PerRequestTokensPerSecond,
    double CpuSecondsPerToken,
    TimeSpan Wall);
