namespace Hanlin.Training.Benchmarks;

/// <summary>LoRA training speed and model-FLOPs utilisation.</summary>
/// <param name="Parameters">Frozen base parameters.</param>
/// <param name="TrainableParameters">Adapter parameters.</param>
/// <param name="Rank">LoRA rank.</param>
/// <param name="BatchSize">Sequences per step.</param>
/// <param name="SequenceLength">Tokens per sequence.</param>
/// <param name="MeasuredSteps">Steps timed (after one warm-up).</param>
/// <param name="SecondsPerStep">Mean wall time of a step (forward, backward, optimiser).</param>
/// <param name="TokensPerSecond">Tokens trained per second.</param>
/// <param name="ModelFlopsPerToken">FLOPs a step needs per token (see <see cref="FineTuneBenchmark.MeasureThroughput"/>).</param>
/// <param name="AchievedGflops">Model FLOPs per second achieved, in GFLOP/s.</param>
/// <param name="PeakGflops">The machine's measured matrix-matrix peak, in GFLOP/s.</param>
/// <param name="Utilization">Achieved over peak.</param>
public sealed record TrainingThroughputResult(
    long Parameters,
    long TrainableParameters,
    int Rank,
    int BatchSize,
    int SequenceLength,
    int MeasuredSteps,
    double SecondsPerStep,
    double TokensPerSecond,
    double ModelFlopsPerToken,
    double AchievedGflops,
    double PeakGflops,
    double Utilization);
