using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Hanlin.Models.Llama;

/// <summary>
/// Matrix-vector product for single-token decoding, hand-written because decode is bound by how fast the weights
/// stream from memory and TorchSharp's CPU kernel (MKL sgemv) reaches about 21 GB/s on the reference machine where
/// llama.cpp's loops reach about 39 GB/s: rows are split across the cores, each row is an AVX-512 dot product with
/// four accumulators over fp32 weights, or over bf16 weights widened in registers (bf16 is the top half of fp32).
/// Used only for large weight matrices on AVX-512 CPUs; everything else stays on TorchSharp.
/// </summary>
internal static unsafe class MatVec
{
    /// <summary>Matrices smaller than this many elements are left to TorchSharp (fork/join would dominate).</summary>
    public const long MinElements = 1 << 20;

    public static bool Applies(Tensor input, Tensor weight) =>
        Avx512F.IsSupported
        && input.shape[0] == 1 && input.shape[1] == 1
        && weight.NumberOfElements >= MinElements
        && weight.dtype is ScalarType.Float32 or ScalarType.BFloat16
        && weight.is_contiguous() && weight.device_type == TorchSharp.DeviceType.CPU;

    /// <summary>y = W x (+ b) for x of shape [1, 1, in]; returns [1, 1, out] in the input's dtype.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias)
    {
        var rows = (int)weight.shape[0];
        var columns = (int)weight.shape[1];
        using var x = input.to(ScalarType.Float32).contiguous().reshape(columns);
        var output = empty(rows, ScalarType.Float32);
        fixed (byte* xBytes = x.bytes)
        fixed (byte* wBytes = weight.bytes)
        fixed (byte* yBytes = output.bytes)
        {
            var xp = (float*)xBytes;
            var yp = (float*)yBytes;
            var wp = (nint)wBytes;
            var bf16 = weight.dtype == ScalarType.BFloat16;
            var parts = Math.Min(Environment.ProcessorCount, 8);
            var perPart = (rows + parts - 1) / parts;
            var xAddress = (nint)xp;
            var yAddress = (nint)yp;
            Parallel.For(0, parts, part =>
            {
                var start = part * perPart;
                var end = Math.Min(rows, start + perPart);
                for (var r = start; r < end; r++)
                {
                    ((float*)yAddress)[r] = bf16
                        ? DotBf16((ushort*)wp + ((long)r * columns), (float*)xAddress, columns)
                        : DotF32((float*)wp + ((long)r * columns), (float*)xAddress, columns);
                }
            });
        }

        var result = output.reshape(1, 1, rows);
        if (bias is not null)
        {
            result = result + bias.to(ScalarType.Float32);
        }

        return input.dtype == ScalarType.Float32 ? result : result.to(input.dtype);
    }

    internal static float DotF32(float* w, float* x, int n)
    {
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        var a2 = Vector512<float>.Zero;
        var a3 = Vector512<float>.Zero;
        var i = 0;
        for (; i + 64 <= n; i += 64)
        {
            a0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(w + i), Avx512F.LoadVector512(x + i), a0);
            a1 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(w + i + 16), Avx512F.LoadVector512(x + i + 16), a1);
            a2 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(w + i + 32), Avx512F.LoadVector512(x + i + 32), a2);
            a3 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(w + i + 48), Avx512F.LoadVector512(x + i + 48), a3);
        }

        for (; i + 16 <= n; i += 16)
        {
            a0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(w + i), Avx512F.LoadVector512(x + i), a0);
        }

        var sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        for (; i < n; i++)
        {
            sum += w[i] * x[i];
        }

        return sum;
    }

    internal static float DotBf16(ushort* w, float* x, int n)
    {
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        var i = 0;
        for (; i + 32 <= n; i += 32)
        {
            a0 = Avx512F.FusedMultiplyAdd(Widen(w + i), Avx512F.LoadVector512(x + i), a0);
            a1 = Avx512F.FusedMultiplyAdd(Widen(w + i + 16), Avx512F.LoadVector512(x + i + 16), a1);
        }

        for (; i + 16 <= n; i += 16)
        {
            a0 = Avx512F.FusedMultiplyAdd(Widen(w + i), Avx512F.LoadVector512(x + i), a0);
        }

        var sum = Vector512.Sum(a0 + a1);
        for (; i < n; i++)
        {
            sum += BitConverter.Int32BitsToSingle(w[i] << 16) * x[i];
        }

        return sum;
    }

    // 16 bf16 values to fp32: zero-extend each to 32 bits and move it to the top half.
    internal static Vector512<float> Widen(ushort* p) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512UInt32(Avx2.LoadVector256(p)), 16).AsSingle();
}
