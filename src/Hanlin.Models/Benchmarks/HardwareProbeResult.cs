namespace Hanlin.Models.Benchmarks;

/// <summary>
/// What <see cref="HardwareProbe"/> measured: weight bytes streamed per second by matrix-vector products
/// (GB/s) and matrix-matrix throughput (GFLOP/s) of TorchSharp's kernels, for one dtype and thread count, and
/// <paramref name="HandWrittenMatMulGigaflops"/>: the same product through the hand-written AVX-512 kernel that fp32
/// prompts use (null where that kernel does not apply: bf16, or a CPU without AVX-512).
/// </summary>
public sealed record HardwareProbeResult(string DType, int Threads, double MatVecGigabytesPerSecond, double MatMulGigaflops, double? HandWrittenMatMulGigaflops = null);
