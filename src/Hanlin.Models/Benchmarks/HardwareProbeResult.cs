namespace Hanlin.Models.Benchmarks;

/// <summary>
/// What <see cref="HardwareProbe"/> measured: weight bytes streamed per second by matrix-vector products
/// (GB/s) and matrix-matrix throughput (GFLOP/s), for one dtype and thread count.
/// </summary>
public sealed record HardwareProbeResult(string DType, int Threads, double MatVecGigabytesPerSecond, double MatMulGigaflops);
