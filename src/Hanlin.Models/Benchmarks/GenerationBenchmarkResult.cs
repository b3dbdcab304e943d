namespace Hanlin.Models.Benchmarks;

/// <summary>Throughput of one <see cref="GenerationBenchmark"/> run.</summary>
/// <param name="Model">What was measured (file path or "random").</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="Threads">libtorch intra-op threads used.</param>
/// <param name="PromptTokens">Prompt length processed in one batched forward.</param>
/// <param name="PromptTokensPerSecond">Prompt tokens divided by the prompt forward's wall time.</param>
/// <param name="TimeToFirstToken">Prompt forward plus choosing the first token.</param>
/// <param name="DecodeTokens">Tokens decoded one at a time after the prompt.</param>
/// <param name="DecodeTokensPerSecond">Decoded tokens divided by their wall time.</param>
/// <param name="DecodeCpuMillisecondsPerToken">Process CPU time (all threads) per decoded token, in milliseconds.</param>
/// <param name="PeakWorkingSetBytes">Process peak resident memory after the run.</param>
public sealed record GenerationBenchmarkResult(
    string Model,
    long Parameters,
    int Threads,
    int PromptTokens,
    double PromptTokensPerSecond,
    TimeSpan TimeToFirstToken,
    int DecodeTokens,
    double DecodeTokensPerSecond,
    double DecodeCpuMillisecondsPerToken,
    long PeakWorkingSetBytes);
