using System.Runtime.CompilerServices;
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
/// The dot products are compiled fully optimised at their first call (AggressiveOptimization): decode runs them from
/// its first token, and under tiered compilation a short generation ran much of its time in unoptimised code
/// (fp32 decode 21.1 instead of 27.7 tokens/s).
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// <see cref="DotF32"/> of one weight row with four inputs at once: each 16-float block of the row is loaded once for
    /// all four (a quarter of the weight loads), and every input keeps <see cref="DotF32"/>'s own accumulators and order of
    /// additions, so each result is bit-identical to <see cref="DotF32"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Vector128<float> DotF32x4(float* w, float* x0, float* x1, float* x2, float* x3, int n)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        var i = 0;
        for (; i + 64 <= n; i += 64)
        {
            var w0 = Avx512F.LoadVector512(w + i);
            var w1 = Avx512F.LoadVector512(w + i + 16);
            var w2 = Avx512F.LoadVector512(w + i + 32);
            var w3 = Avx512F.LoadVector512(w + i + 48);
            a00 = Avx512F.FusedMultiplyAdd(w0, Avx512F.LoadVector512(x0 + i), a00);
            a01 = Avx512F.FusedMultiplyAdd(w1, Avx512F.LoadVector512(x0 + i + 16), a01);
            a02 = Avx512F.FusedMultiplyAdd(w2, Avx512F.LoadVector512(x0 + i + 32), a02);
            a03 = Avx512F.FusedMultiplyAdd(w3, Avx512F.LoadVector512(x0 + i + 48), a03);
            a10 = Avx512F.FusedMultiplyAdd(w0, Avx512F.LoadVector512(x1 + i), a10);
            a11 = Avx512F.FusedMultiplyAdd(w1, Avx512F.LoadVector512(x1 + i + 16), a11);
            a12 = Avx512F.FusedMultiplyAdd(w2, Avx512F.LoadVector512(x1 + i + 32), a12);
            a13 = Avx512F.FusedMultiplyAdd(w3, Avx512F.LoadVector512(x1 + i + 48), a13);
            a20 = Avx512F.FusedMultiplyAdd(w0, Avx512F.LoadVector512(x2 + i), a20);
            a21 = Avx512F.FusedMultiplyAdd(w1, Avx512F.LoadVector512(x2 + i + 16), a21);
            a22 = Avx512F.FusedMultiplyAdd(w2, Avx512F.LoadVector512(x2 + i + 32), a22);
            a23 = Avx512F.FusedMultiplyAdd(w3, Avx512F.LoadVector512(x2 + i + 48), a23);
            a30 = Avx512F.FusedMultiplyAdd(w0, Avx512F.LoadVector512(x3 + i), a30);
            a31 = Avx512F.FusedMultiplyAdd(w1, Avx512F.LoadVector512(x3 + i + 16), a31);
            a32 = Avx512F.FusedMultiplyAdd(w2, Avx512F.LoadVector512(x3 + i + 32), a32);
            a33 = Avx512F.FusedMultiplyAdd(w3, Avx512F.LoadVector512(x3 + i + 48), a33);
        }

        for (; i + 16 <= n; i += 16)
        {
            var w0 = Avx512F.LoadVector512(w + i);
            a00 = Avx512F.FusedMultiplyAdd(w0, Avx512F.LoadVector512(x0 + i), a00);
            a10 = Avx512F.FusedMultiplyAdd(w0, Avx512F.LoadVector512(x1 + i), a10);
            a20 = Avx512F.FusedMultiplyAdd(w0, Avx512F.LoadVector512(x2 + i), a20);
            a30 = Avx512F.FusedMultiplyAdd(w0, Avx512F.LoadVector512(x3 + i), a30);
        }

        var s0 = Vector512.Sum((a00 + a01) + (a02 + a03));
        var s1 = Vector512.Sum((a10 + a11) + (a12 + a13));
        var s2 = Vector512.Sum((a20 + a21) + (a22 + a23));
        var s3 = Vector512.Sum((a30 + a31) + (a32 + a33));
        for (; i < n; i++)
        {
            s0 += w[i] * x0[i];
            s1 += w[i] * x1[i];
            s2 += w[i] * x2[i];
            s3 += w[i] * x3[i];
        }

        return Vector128.Create(s0, s1, s2, s3);
    }

    /// <summary>
    /// Reorders x for <see cref="DotBf16Split"/>: in each block of 32, the 16 even-indexed values, then the 16
    /// odd-indexed ones; the tail past the last full block is copied as is. n floats from x to split.
    /// </summary>
    internal static void SplitForBf16(float* x, float[] split, int n)
    {
        fixed (float* destination = split)
        {
            SplitForBf16(x, destination, n);
        }
    }

    /// <summary><see cref="SplitForBf16(float*, float[], int)"/> into memory at <paramref name="split"/> (n floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SplitForBf16(float* x, float* split, int n)
    {
        var blocks = n & ~31;
        for (var b = 0; b < blocks; b += 32)
        {
            for (var j = 0; j < 16; j++)
            {
                split[b + j] = x[b + (2 * j)];
                split[b + 16 + j] = x[b + (2 * j) + 1];
            }
        }

        for (var i = blocks; i < n; i++)
        {
            split[i] = x[i];
        }
    }

    /// <summary>
    /// Dot product of n bf16 weights with x reordered by <see cref="SplitForBf16(float*, float*, int)"/>. A 64-byte load holds 32 bf16
    /// values as 16 pairs in 32-bit lanes: shifting each lane left 16 gives the even values as fp32 and masking off
    /// the low half gives the odd ones, two cheap ops instead of two widening shuffles per 32 weights.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float DotBf16Split(ushort* w, float* split, int n)
    {
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        var a2 = Vector512<float>.Zero;
        var a3 = Vector512<float>.Zero;
        var high = Vector512.Create(0xFFFF0000u);
        var i = 0;
        for (; i + 64 <= n; i += 64)
        {
            var v0 = Avx512F.LoadVector512((uint*)(w + i));
            var v1 = Avx512F.LoadVector512((uint*)(w + i + 32));
            a0 = Avx512F.FusedMultiplyAdd(Avx512F.ShiftLeftLogical(v0, 16).AsSingle(), Avx512F.LoadVector512(split + i), a0);
            a1 = Avx512F.FusedMultiplyAdd(Avx512F.And(v0, high).AsSingle(), Avx512F.LoadVector512(split + i + 16), a1);
            a2 = Avx512F.FusedMultiplyAdd(Avx512F.ShiftLeftLogical(v1, 16).AsSingle(), Avx512F.LoadVector512(split + i + 32), a2);
            a3 = Avx512F.FusedMultiplyAdd(Avx512F.And(v1, high).AsSingle(), Avx512F.LoadVector512(split + i + 48), a3);
        }

        for (; i + 32 <= n; i += 32)
        {
            var v0 = Avx512F.LoadVector512((uint*)(w + i));
            a0 = Avx512F.FusedMultiplyAdd(Avx512F.ShiftLeftLogical(v0, 16).AsSingle(), Avx512F.LoadVector512(split + i), a0);
            a1 = Avx512F.FusedMultiplyAdd(Avx512F.And(v0, high).AsSingle(), Avx512F.LoadVector512(split + i + 16), a1);
        }

        var sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        for (; i < n; i++)
        {
            sum += BitConverter.Int32BitsToSingle(w[i] << 16) * split[i];
        }

        return sum;
    }

    /// <summary>
    /// <see cref="DotBf16Split"/> of one weight row with four split inputs at once: each 64-byte block of the row is
    /// loaded and converted once for all four, and every input keeps <see cref="DotBf16Split"/>'s own accumulators and
    /// order of additions, so each result is bit-identical to it (a sequence decoded in a batch gets the logits it gets alone).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Vector128<float> DotBf16Splitx4(ushort* w, float* x0, float* x1, float* x2, float* x3, int n)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        var high = Vector512.Create(0xFFFF0000u);
        var i = 0;
        for (; i + 64 <= n; i += 64)
        {
            var v0 = Avx512F.LoadVector512((uint*)(w + i));
            var v1 = Avx512F.LoadVector512((uint*)(w + i + 32));
            var e0 = Avx512F.ShiftLeftLogical(v0, 16).AsSingle();
            var o0 = Avx512F.And(v0, high).AsSingle();
            var e1 = Avx512F.ShiftLeftLogical(v1, 16).AsSingle();
            var o1 = Avx512F.And(v1, high).AsSingle();
            a00 = Avx512F.FusedMultiplyAdd(e0, Avx512F.LoadVector512(x0 + i), a00);
            a01 = Avx512F.FusedMultiplyAdd(o0, Avx512F.LoadVector512(x0 + i + 16), a01);
            a02 = Avx512F.FusedMultiplyAdd(e1, Avx512F.LoadVector512(x0 + i + 32), a02);
            a03 = Avx512F.FusedMultiplyAdd(o1, Avx512F.LoadVector512(x0 + i + 48), a03);
            a10 = Avx512F.FusedMultiplyAdd(e0, Avx512F.LoadVector512(x1 + i), a10);
            a11 = Avx512F.FusedMultiplyAdd(o0, Avx512F.LoadVector512(x1 + i + 16), a11);
            a12 = Avx512F.FusedMultiplyAdd(e1, Avx512F.LoadVector512(x1 + i + 32), a12);
            a13 = Avx512F.FusedMultiplyAdd(o1, Avx512F.LoadVector512(x1 + i + 48), a13);
            a20 = Avx512F.FusedMultiplyAdd(e0, Avx512F.LoadVector512(x2 + i), a20);
            a21 = Avx512F.FusedMultiplyAdd(o0, Avx512F.LoadVector512(x2 + i + 16), a21);
            a22 = Avx512F.FusedMultiplyAdd(e1, Avx512F.LoadVector512(x2 + i + 32), a22);
            a23 = Avx512F.FusedMultiplyAdd(o1, Avx512F.LoadVector512(x2 + i + 48), a23);
            a30 = Avx512F.FusedMultiplyAdd(e0, Avx512F.LoadVector512(x3 + i), a30);
            a31 = Avx512F.FusedMultiplyAdd(o0, Avx512F.LoadVector512(x3 + i + 16), a31);
            a32 = Avx512F.FusedMultiplyAdd(e1, Avx512F.LoadVector512(x3 + i + 32), a32);
            a33 = Avx512F.FusedMultiplyAdd(o1, Avx512F.LoadVector512(x3 + i + 48), a33);
        }

        for (; i + 32 <= n; i += 32)
        {
            var v0 = Avx512F.LoadVector512((uint*)(w + i));
            var e0 = Avx512F.ShiftLeftLogical(v0, 16).AsSingle();
            var o0 = Avx512F.And(v0, high).AsSingle();
            a00 = Avx512F.FusedMultiplyAdd(e0, Avx512F.LoadVector512(x0 + i), a00);
            a01 = Avx512F.FusedMultiplyAdd(o0, Avx512F.LoadVector512(x0 + i + 16), a01);
            a10 = Avx512F.FusedMultiplyAdd(e0, Avx512F.LoadVector512(x1 + i), a10);
            a11 = Avx512F.FusedMultiplyAdd(o0, Avx512F.LoadVector512(x1 + i + 16), a11);
            a20 = Avx512F.FusedMultiplyAdd(e0, Avx512F.LoadVector512(x2 + i), a20);
            a21 = Avx512F.FusedMultiplyAdd(o0, Avx512F.LoadVector512(x2 + i + 16), a21);
            a30 = Avx512F.FusedMultiplyAdd(e0, Avx512F.LoadVector512(x3 + i), a30);
            a31 = Avx512F.FusedMultiplyAdd(o0, Avx512F.LoadVector512(x3 + i + 16), a31);
        }

        var s0 = Vector512.Sum((a00 + a01) + (a02 + a03));
        var s1 = Vector512.Sum((a10 + a11) + (a12 + a13));
        var s2 = Vector512.Sum((a20 + a21) + (a22 + a23));
        var s3 = Vector512.Sum((a30 + a31) + (a32 + a33));
        for (; i < n; i++)
        {
            var weight = BitConverter.Int32BitsToSingle(w[i] << 16);
            s0 += weight * x0[i];
            s1 += weight * x1[i];
            s2 += weight * x2[i];
            s3 += weight * x3[i];
        }

        return Vector128.Create(s0, s1, s2, s3);
    }

    // 16 bf16 values to fp32: zero-extend each to 32 bits and move it to the top half.
    internal static Vector512<float> Widen(ushort* p) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512UInt32(Avx2.LoadVector256(p)), 16).AsSingle();
}
