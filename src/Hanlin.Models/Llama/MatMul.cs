using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Hanlin.Models.Llama;

/// <summary>
/// fp32 matrix-matrix product y = x Wᵀ (+ b) for prompt processing, hand-written because the MKL sgemm inside
/// TorchSharp-cpu takes a non-AVX-512 path on AMD CPUs: 110-170 GFLOP/s on the 2-core Zen 5 reference machine, whose
/// two 512-bit FMA pipes per core peak near 210 GFLOP/s per core; this kernel reaches 300-350 GFLOP/s on both cores
/// (per CPU-second of work). Only inference uses it: fp32, CPU, contiguous, no tensor requiring a gradient; everything
/// else (bf16, training, other CPUs) stays on TorchSharp.
/// </summary>
/// <remarks>
/// The rows of x are packed transposed (xᵀ in panels of 64 rows, [k][64]) so the micro-kernel can keep W unpacked:
/// each step broadcasts one element from each of 6 W rows and multiplies it into 4 vectors of 16 packed x rows,
/// 24 zmm accumulators in all. Packing x (rows·in floats) instead of W (out·in) is the cheaper transpose for prompt
/// shapes; the price is that the kernel produces yᵀ, which each worker accumulates in a small buffer for 48 output
/// columns and transposes into y once. Workers own disjoint ranges of W rows, so W is read once per call.
/// </remarks>
internal static unsafe class MatMul
{
    /// <summary>Products smaller than this many multiply-adds are left to TorchSharp (fork/join and packing dominate).</summary>
    public const long MinMultiplyAdds = 1 << 22;

    /// <summary>Fewer rows than this waste most of a 64-row panel; TorchSharp (or MatVec for one row) does better.</summary>
    public const int MinRows = 16;

    private const int PanelRows = 64;       // x rows per micro-tile: 4 zmm vectors of 16 fp32 lanes
    private const int NarrowRows = 16;      // x rows per tail micro-tile: 1 vector
    private const int TileColumns = 6;      // W rows per micro-tile
    private const int BlockColumns = 48;    // W rows whose yᵀ a worker accumulates before transposing into y
    private const int PackedBytesPerBlock = 512 * 1024; // packed x of one K-block, sized to stay in the 1 MB L2

    /// <summary>
    /// Whether <see cref="Linear"/> can compute F.linear(input, weight, bias) here, and (unless <paramref name="anySize"/>)
    /// is large enough to be faster than TorchSharp.
    /// </summary>
    public static bool Applies(Tensor input, Tensor weight, Tensor? bias, bool anySize = false)
    {
        if (!Avx512F.IsSupported
            || input.dtype != ScalarType.Float32 || weight.dtype != ScalarType.Float32
            || input.device_type != TorchSharp.DeviceType.CPU || weight.device_type != TorchSharp.DeviceType.CPU
            || weight.dim() != 2 || input.dim() < 2
            || input.requires_grad || weight.requires_grad
            || !input.is_contiguous() || !weight.is_contiguous())
        {
            return false;
        }

        if (bias is not null
            && (bias.dtype != ScalarType.Float32 || bias.device_type != TorchSharp.DeviceType.CPU
                || bias.requires_grad || !bias.is_contiguous() || bias.dim() != 1))
        {
            return false;
        }

        var columns = weight.shape[1];
        var rows = input.NumberOfElements / Math.Max(1, columns);
        // Packed x and a worker's yᵀ block live in pooled arrays, so both must fit an int length.
        return input.shape[^1] == columns && columns > 0
            && (rows + NarrowRows) * Math.Max(columns, BlockColumns) <= int.MaxValue - 64
            && (bias is null || bias.shape[0] == weight.shape[0])
            && (anySize || (rows >= MinRows && rows * weight.shape[0] * columns >= MinMultiplyAdds));
    }

    /// <summary>y = x Wᵀ (+ b) for x of shape [.., in] and W [out, in]; returns [.., out] fp32.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias)
    {
        var outputs = (int)weight.shape[0];
        var columns = (int)weight.shape[1];
        var rows = (int)(input.NumberOfElements / columns);
        var shape = input.shape.ToArray();
        shape[^1] = outputs;
        var output = empty(shape, ScalarType.Float32);
        fixed (byte* x = input.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* y = output.bytes)
        {
            if (bias is null)
            {
                Multiply((float*)x, (float*)w, null, (float*)y, rows, outputs, columns);
            }
            else
            {
                fixed (byte* b = bias.bytes)
                {
                    Multiply((float*)x, (float*)w, (float*)b, (float*)y, rows, outputs, columns);
                }
            }
        }

        return output;
    }

    /// <summary>
    /// y[rows, outputs] = x[rows, columns] · w[outputs, columns]ᵀ (+ bias[outputs]), all row-major fp32.
    /// <paramref name="bias"/> may be null.
    /// </summary>
    internal static void Multiply(float* x, float* w, float* bias, float* y, int rows, int outputs, int columns)
    {
        if (rows == 0 || outputs == 0)
        {
            return;
        }

        var padded = (rows + NarrowRows - 1) / NarrowRows * NarrowRows;
        var packedLength = (long)padded * columns;
        var packedArray = ArrayPool<float>.Shared.Rent(checked((int)packedLength + 16));
        try
        {
            fixed (float* packedRaw = packedArray)
            {
                var packed = (float*)(((nint)packedRaw + 63) & ~(nint)63);   // 64-byte aligned: each vector load is one cache line
                var parts = Math.Min(Environment.ProcessorCount, 8);
                var tiles = (outputs + TileColumns - 1) / TileColumns;
                parts = Math.Max(1, Math.Min(parts, tiles));
                var job = new Job((nint)x, (nint)w, (nint)bias, (nint)y, (nint)packed, rows, padded, outputs, columns);
                if (parts == 1)
                {
                    Pack(job, 0, padded);
                    Compute(job, 0, outputs);
                }
                else
                {
                    // Pack in row slices of whole panels, then split the output columns by whole tiles.
                    var panels = (padded + PanelRows - 1) / PanelRows;
                    Parallel.For(0, parts, part =>
                    {
                        var first = (int)((long)panels * part / parts) * PanelRows;
                        var last = Math.Min(padded, (int)((long)panels * (part + 1) / parts) * PanelRows);
                        Pack(job, first, last);
                    });
                    Parallel.For(0, parts, part =>
                    {
                        var first = (int)((long)tiles * part / parts) * TileColumns;
                        var last = Math.Min(outputs, (int)((long)tiles * (part + 1) / parts) * TileColumns);
                        Compute(job, first, last);
                    });
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedArray);
        }
    }

    // Packed layout: full panels of 64 rows, each [columns][64], then tail panels of 16 rows, each [columns][16];
    // rows past the end are zero. The panel starting at row r therefore starts r·columns floats in.
    private static int PanelWidth(int row, int padded) => row < padded / PanelRows * PanelRows ? PanelRows : NarrowRows;

    // Packs rows [first, last) of x (first, last on panel boundaries) transposed into their panels, 16 x 16 blocks at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pack(Job job, int first, int last)
    {
        var x = (float*)job.X;
        var packed = (float*)job.Packed;
        var columns = job.Columns;
        var block = stackalloc Vector512<float>[16];
        for (var panel = first; panel < last;)
        {
            var width = PanelWidth(panel, job.Padded);
            for (var g = 0; g < width; g += 16)
            {
                var r0 = panel + g;
                var target = packed + ((long)panel * columns) + g;   // 64-byte aligned: panel and g are multiples of 16
                var k = 0;
                for (; k + 16 <= columns; k += 16)
                {
                    for (var i = 0; i < 16; i++)
                    {
                        block[i] = r0 + i < job.Rows ? Avx512F.LoadVector512(x + ((long)(r0 + i) * columns) + k) : Vector512<float>.Zero;
                    }

                    Transpose16(block);
                    for (var i = 0; i < 16; i++)
                    {
                        Avx512F.StoreAligned(target + ((long)(k + i) * width), block[i]);
                    }
                }

                for (; k < columns; k++)
                {
                    for (var i = 0; i < 16; i++)
                    {
                        target[((long)k * width) + i] = r0 + i < job.Rows ? x[((long)(r0 + i) * columns) + k] : 0;
                    }
                }
            }

            panel += width;
        }
    }

    // Computes y[:, first..last) (first on a tile boundary).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compute(Job job, int first, int last)
    {
        if (first >= last)
        {
            return;
        }

        var columns = job.Columns;
        var padded = job.Padded;
        var blockLength = BlockColumns * padded;
        var transposedArray = ArrayPool<float>.Shared.Rent(blockLength + 16);
        try
        {
            fixed (float* transposedRaw = transposedArray)
            {
                var transposed = (float*)(((nint)transposedRaw + 63) & ~(nint)63); // yᵀ of one block: [48][padded]
                var kBlockMax = Math.Max(16, PackedBytesPerBlock / (padded * sizeof(float)));
                var kBlocks = (columns + kBlockMax - 1) / kBlockMax;
                var kBlock = (columns + kBlocks - 1) / kBlocks;
                for (var n0 = first; n0 < last; n0 += BlockColumns)
                {
                    var nEnd = Math.Min(last, n0 + BlockColumns);
                    for (var k0 = 0; k0 < columns; k0 += kBlock)
                    {
                        var depth = Math.Min(kBlock, columns - k0);
                        var accumulate = k0 > 0;
                        for (var t = n0; t < nEnd; t += TileColumns)
                        {
                            // A tile past the last W row repeats that row; its extra outputs are never read.
                            var count = Math.Min(TileColumns, nEnd - t);
                            var w = (float*)job.W + k0;
                            var w0 = w + ((long)t * columns);
                            var w1 = w + ((long)(t + Math.Min(1, count - 1)) * columns);
                            var w2 = w + ((long)(t + Math.Min(2, count - 1)) * columns);
                            var w3 = w + ((long)(t + Math.Min(3, count - 1)) * columns);
                            var w4 = w + ((long)(t + Math.Min(4, count - 1)) * columns);
                            var w5 = w + ((long)(t + Math.Min(5, count - 1)) * columns);
                            var c = transposed + ((long)(t - n0) * padded);
                            var fullRows = padded / PanelRows * PanelRows;
                            for (var m = 0; m < fullRows; m += PanelRows)
                            {
                                var p = (float*)job.Packed + ((long)m * columns) + ((long)k0 * PanelRows);
                                Kernel64(p, w0, w1, w2, w3, w4, w5, depth, c + m, padded, accumulate);
                            }

                            for (var m = fullRows; m < padded; m += NarrowRows)
                            {
                                var p = (float*)job.Packed + ((long)m * columns) + ((long)k0 * NarrowRows);
                                Kernel16(p, w0, w1, w2, w3, w4, w5, depth, c + m, padded, accumulate);
                            }
                        }
                    }

                    Scatter(job, transposed, n0, nEnd);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(transposedArray);
        }
    }

    // y[:, n0..nEnd) = yᵀ block (+ bias), 16 x 16 blocks at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter(Job job, float* transposed, int n0, int nEnd)
    {
        var y = (float*)job.Y;
        var bias = (float*)job.Bias;
        var outputs = job.Outputs;
        var padded = job.Padded;
        var width = nEnd - n0;
        var block = stackalloc Vector512<float>[16];
        var partial = stackalloc float[16];
        for (var m0 = 0; m0 < job.Rows; m0 += 16)
        {
            var mCount = Math.Min(16, job.Rows - m0);
            for (var j0 = 0; j0 < width; j0 += 16)
            {
                var jCount = Math.Min(16, width - j0);
                for (var i = 0; i < 16; i++)
                {
                    block[i] = i < jCount ? Avx512F.LoadAlignedVector512(transposed + ((long)(j0 + i) * padded) + m0) : Vector512<float>.Zero;
                }

                Transpose16(block);   // block[i] = y[m0 + i, n0 + j0 ..]
                var target = y + ((long)m0 * outputs) + n0 + j0;
                if (jCount == 16)
                {
                    var b = bias is null ? Vector512<float>.Zero : Avx512F.LoadVector512(bias + n0 + j0);
                    for (var i = 0; i < mCount; i++)
                    {
                        Avx512F.Store(target + ((long)i * outputs), block[i] + b);
                    }
                }
                else
                {
                    for (var i = 0; i < mCount; i++)
                    {
                        Avx512F.Store(partial, block[i]);
                        for (var j = 0; j < jCount; j++)
                        {
                            target[((long)i * outputs) + j] = partial[j] + (bias is null ? 0 : bias[n0 + j0 + j]);
                        }
                    }
                }
            }
        }
    }

    // Transposes the 16 x 16 block rows[0..16) in place: for s = 8, 4, 2, 1 the off-diagonal s x s blocks of every
    // 2s x 2s block trade places (two-source permutes), which swaps bit s of the row and column indices.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16(Vector512<float>* rows)
    {
        var j = Vector512<int>.Indices;
        for (var s = 8; s >= 1; s >>= 1)
        {
            var left = Vector512.Equals(j & Vector512.Create(s), Vector512<int>.Zero);   // columns with bit s clear
            var upperIndex = Vector512.ConditionalSelect(left, j, j + Vector512.Create(16 - s));
            var lowerIndex = Vector512.ConditionalSelect(left, j + Vector512.Create(s), j + Vector512.Create(16));
            for (var i = 0; i < 16; i++)
            {
                if ((i & s) == 0)
                {
                    var a = rows[i];
                    var b = rows[i + s];
                    rows[i] = Avx512F.PermuteVar16x32x2(a, upperIndex, b);
                    rows[i + s] = Avx512F.PermuteVar16x32x2(a, lowerIndex, b);
                }
            }
        }
    }

    // c[j][0..64) (+)= Σ_k p[k][0..64) · wj[k] for j = 0..5; c rows are `stride` floats apart.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel64(float* p, float* w0, float* w1, float* w2, float* w3, float* w4, float* w5, int depth, float* c, int stride, bool accumulate)
    {
        Vector512<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
        Vector512<float> c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        if (accumulate)
        {
            c00 = Avx512F.LoadAlignedVector512(c); c01 = Avx512F.LoadAlignedVector512(c + 16); c02 = Avx512F.LoadAlignedVector512(c + 32); c03 = Avx512F.LoadAlignedVector512(c + 48);
            var r = c + stride;
            c10 = Avx512F.LoadAlignedVector512(r); c11 = Avx512F.LoadAlignedVector512(r + 16); c12 = Avx512F.LoadAlignedVector512(r + 32); c13 = Avx512F.LoadAlignedVector512(r + 48);
            r += stride;
            c20 = Avx512F.LoadAlignedVector512(r); c21 = Avx512F.LoadAlignedVector512(r + 16); c22 = Avx512F.LoadAlignedVector512(r + 32); c23 = Avx512F.LoadAlignedVector512(r + 48);
            r += stride;
            c30 = Avx512F.LoadAlignedVector512(r); c31 = Avx512F.LoadAlignedVector512(r + 16); c32 = Avx512F.LoadAlignedVector512(r + 32); c33 = Avx512F.LoadAlignedVector512(r + 48);
            r += stride;
            c40 = Avx512F.LoadAlignedVector512(r); c41 = Avx512F.LoadAlignedVector512(r + 16); c42 = Avx512F.LoadAlignedVector512(r + 32); c43 = Avx512F.LoadAlignedVector512(r + 48);
            r += stride;
            c50 = Avx512F.LoadAlignedVector512(r); c51 = Avx512F.LoadAlignedVector512(r + 16); c52 = Avx512F.LoadAlignedVector512(r + 32); c53 = Avx512F.LoadAlignedVector512(r + 48);
        }
        else
        {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = Vector512<float>.Zero;
            c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = Vector512<float>.Zero;
        }

        for (var k = 0; k < depth; k++, p += PanelRows)
        {
            var a0 = Avx512F.LoadAlignedVector512(p);
            var a1 = Avx512F.LoadAlignedVector512(p + 16);
            var a2 = Avx512F.LoadAlignedVector512(p + 32);
            var a3 = Avx512F.LoadAlignedVector512(p + 48);
            var b = Vector512.Create(w0[k]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b, c00); c01 = Avx512F.FusedMultiplyAdd(a1, b, c01); c02 = Avx512F.FusedMultiplyAdd(a2, b, c02); c03 = Avx512F.FusedMultiplyAdd(a3, b, c03);
            b = Vector512.Create(w1[k]);
            c10 = Avx512F.FusedMultiplyAdd(a0, b, c10); c11 = Avx512F.FusedMultiplyAdd(a1, b, c11); c12 = Avx512F.FusedMultiplyAdd(a2, b, c12); c13 = Avx512F.FusedMultiplyAdd(a3, b, c13);
            b = Vector512.Create(w2[k]);
            c20 = Avx512F.FusedMultiplyAdd(a0, b, c20); c21 = Avx512F.FusedMultiplyAdd(a1, b, c21); c22 = Avx512F.FusedMultiplyAdd(a2, b, c22); c23 = Avx512F.FusedMultiplyAdd(a3, b, c23);
            b = Vector512.Create(w3[k]);
            c30 = Avx512F.FusedMultiplyAdd(a0, b, c30); c31 = Avx512F.FusedMultiplyAdd(a1, b, c31); c32 = Avx512F.FusedMultiplyAdd(a2, b, c32); c33 = Avx512F.FusedMultiplyAdd(a3, b, c33);
            b = Vector512.Create(w4[k]);
            c40 = Avx512F.FusedMultiplyAdd(a0, b, c40); c41 = Avx512F.FusedMultiplyAdd(a1, b, c41); c42 = Avx512F.FusedMultiplyAdd(a2, b, c42); c43 = Avx512F.FusedMultiplyAdd(a3, b, c43);
            b = Vector512.Create(w5[k]);
            c50 = Avx512F.FusedMultiplyAdd(a0, b, c50); c51 = Avx512F.FusedMultiplyAdd(a1, b, c51); c52 = Avx512F.FusedMultiplyAdd(a2, b, c52); c53 = Avx512F.FusedMultiplyAdd(a3, b, c53);
        }

        Avx512F.StoreAligned(c, c00); Avx512F.StoreAligned(c + 16, c01); Avx512F.StoreAligned(c + 32, c02); Avx512F.StoreAligned(c + 48, c03);
        c += stride;
        Avx512F.StoreAligned(c, c10); Avx512F.StoreAligned(c + 16, c11); Avx512F.StoreAligned(c + 32, c12); Avx512F.StoreAligned(c + 48, c13);
        c += stride;
        Avx512F.StoreAligned(c, c20); Avx512F.StoreAligned(c + 16, c21); Avx512F.StoreAligned(c + 32, c22); Avx512F.StoreAligned(c + 48, c23);
        c += stride;
        Avx512F.StoreAligned(c, c30); Avx512F.StoreAligned(c + 16, c31); Avx512F.StoreAligned(c + 32, c32); Avx512F.StoreAligned(c + 48, c33);
        c += stride;
        Avx512F.StoreAligned(c, c40); Avx512F.StoreAligned(c + 16, c41); Avx512F.StoreAligned(c + 32, c42); Avx512F.StoreAligned(c + 48, c43);
        c += stride;
        Avx512F.StoreAligned(c, c50); Avx512F.StoreAligned(c + 16, c51); Avx512F.StoreAligned(c + 32, c52); Avx512F.StoreAligned(c + 48, c53);
    }

    // Kernel64 for a tail panel of 16 rows (one vector per W row).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel16(float* p, float* w0, float* w1, float* w2, float* w3, float* w4, float* w5, int depth, float* c, int stride, bool accumulate)
    {
        Vector512<float> c0, c1, c2, c3, c4, c5;
        if (accumulate)
        {
            c0 = Avx512F.LoadAlignedVector512(c);
            c1 = Avx512F.LoadAlignedVector512(c + stride);
            c2 = Avx512F.LoadAlignedVector512(c + (2 * stride));
            c3 = Avx512F.LoadAlignedVector512(c + (3 * stride));
            c4 = Avx512F.LoadAlignedVector512(c + (4 * stride));
            c5 = Avx512F.LoadAlignedVector512(c + (5 * stride));
        }
        else
        {
            c0 = c1 = c2 = c3 = c4 = c5 = Vector512<float>.Zero;
        }

        for (var k = 0; k < depth; k++, p += NarrowRows)
        {
            var a = Avx512F.LoadAlignedVector512(p);
            c0 = Avx512F.FusedMultiplyAdd(a, Vector512.Create(w0[k]), c0);
            c1 = Avx512F.FusedMultiplyAdd(a, Vector512.Create(w1[k]), c1);
            c2 = Avx512F.FusedMultiplyAdd(a, Vector512.Create(w2[k]), c2);
            c3 = Avx512F.FusedMultiplyAdd(a, Vector512.Create(w3[k]), c3);
            c4 = Avx512F.FusedMultiplyAdd(a, Vector512.Create(w4[k]), c4);
            c5 = Avx512F.FusedMultiplyAdd(a, Vector512.Create(w5[k]), c5);
        }

        Avx512F.StoreAligned(c, c0);
        Avx512F.StoreAligned(c + stride, c1);
        Avx512F.StoreAligned(c + (2 * stride), c2);
        Avx512F.StoreAligned(c + (3 * stride), c3);
        Avx512F.StoreAligned(c + (4 * stride), c4);
        Avx512F.StoreAligned(c + (5 * stride), c5);
    }

    private readonly record struct Job(nint X, nint W, nint Bias, nint Y, nint Packed, int Rows, int Padded, int Outputs, int Columns);
}
