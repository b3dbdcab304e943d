using System.Diagnostics;
using static TorchSharp.torch;

namespace Hanlin.Models.Benchmarks;

/// <summary>
/// Measures what the machine can give a transformer: matrix-vector throughput (bytes of weights streamed per
/// second, the bound on decode speed) and matrix-matrix throughput (the bound on prompt processing), through
/// the same kernels the model uses (TorchSharp's, and the hand-written fp32 matmul of prompts), so generation figures
/// can be read against the hardware.
/// </summary>
public static class HardwareProbe
{
    /// <summary>Runs both measurements for <paramref name="dtype"/> (Float32 or BFloat16).</summary>
    public static HardwareProbeResult Run(ScalarType dtype = ScalarType.Float32)
    {
        Runtime.TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        // 4864 x 896 is the FFN shape of the reference model; 24 copies (~400 MB fp32) defeat the caches.
        const int Rows = 4864, Columns = 896, Copies = 24, Rounds = 4;
        var weights = Enumerable.Range(0, Copies).Select(_ => randn(Rows, Columns).to(dtype)).ToArray();
        var vector = randn(1, Columns).to(dtype);
        _ = nn.functional.linear(vector, weights[0]);
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var weight in weights)
            {
                using var output = nn.functional.linear(vector, weight);
            }
        }

        var bytes = (double)Rows * Columns * weights[0].element_size() * Copies * Rounds;
        var bandwidth = bytes / clock.Elapsed.TotalSeconds / 1e9;

        const int Tokens = 512;
        var activations = randn(Tokens, Columns).to(dtype);
        _ = nn.functional.linear(activations, weights[0]);
        clock.Restart();
        const int MatmulRounds = 8;
        for (var round = 0; round < MatmulRounds; round++)
        {
            using var output = nn.functional.linear(activations, weights[round % Copies]);
        }

        var flops = 2.0 * Tokens * Rows * Columns * MatmulRounds;
        var gflops = flops / clock.Elapsed.TotalSeconds / 1e9;

        double? handWritten = null;
        if (Llama.MatMul.Applies(activations, weights[0], null))
        {
            _ = Llama.MatMul.Linear(activations, weights[0], null);
            clock.Restart();
            for (var round = 0; round < MatmulRounds; round++)
            {
                using var output = Llama.MatMul.Linear(activations, weights[round % Copies], null);
            }

            handWritten = flops / clock.Elapsed.TotalSeconds / 1e9;
        }

        return new HardwareProbeResult(dtype.ToString(), get_num_threads(), bandwidth, gflops, handWritten);
    }
}
