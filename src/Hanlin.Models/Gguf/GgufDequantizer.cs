using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Gguf;

/// <summary>
/// Storage layout of ggml tensor types and their conversion to float32. Block layouts follow ggml's
/// <c>ggml-common.h</c> and the reference dequantisers in <c>ggml-quants.c</c>.
/// </summary>
public static class GgufDequantizer
{
    private const int KBlock = 256; // QK_K

    /// <summary>
    /// Elements per block and bytes per block of <paramref name="type"/>; false for a tag this reader does not
    /// know at all (a later ggml type).
    /// </summary>
    public static bool TryGetLayout(GgufTensorType type, out int blockElements, out int blockBytes)
    {
        (blockElements, blockBytes) = type switch
        {
            GgufTensorType.F32 => (1, 4),
            GgufTensorType.F16 or GgufTensorType.BF16 => (1, 2),
            GgufTensorType.Q4_0 => (32, 18),
            GgufTensorType.Q4_1 => (32, 20),
            GgufTensorType.Q5_0 => (32, 22),
            GgufTensorType.Q5_1 => (32, 24),
            GgufTensorType.Q8_0 => (32, 34),
            GgufTensorType.Q8_1 => (32, 36),
            GgufTensorType.Q2_K => (KBlock, 84),
            GgufTensorType.Q3_K => (KBlock, 110),
            GgufTensorType.Q4_K => (KBlock, 144),
            GgufTensorType.Q5_K => (KBlock, 176),
            GgufTensorType.Q6_K => (KBlock, 210),
            GgufTensorType.Q8_K => (KBlock, 292),
            GgufTensorType.I8 => (1, 1),
            GgufTensorType.I16 => (1, 2),
            GgufTensorType.I32 => (1, 4),
            GgufTensorType.I64 or GgufTensorType.F64 => (1, 8),
            _ => (0, 0),
        };
        return blockElements > 0;
    }

    /// <summary>Whether <see cref="Dequantize"/> can convert <paramref name="type"/>.</summary>
    public static bool CanDequantize(GgufTensorType type) => type is GgufTensorType.F32 or GgufTensorType.F16 or GgufTensorType.BF16
        or GgufTensorType.Q8_0 or GgufTensorType.Q4_0 or GgufTensorType.Q4_K or GgufTensorType.Q6_K;

    /// <summary>
    /// Converts <paramref name="source"/> (whole blocks of <paramref name="type"/>) to float32 into
    /// <paramref name="destination"/>, whose length is the element count.
    /// </summary>
    /// <exception cref="HanlinException"><c>unsupported_model</c> for a type this reader cannot convert.</exception>
    public static void Dequantize(GgufTensorType type, ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (!TryGetLayout(type, out var blockElements, out var blockBytes) || !CanDequantize(type))
        {
            throw new HanlinException(ErrorCodes.UnsupportedModel, $"GGUF tensor type {type} cannot be converted to float32; supported: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K.");
        }

        if (destination.Length % blockElements != 0 || (long)destination.Length / blockElements * blockBytes != source.Length)
        {
            throw new ArgumentException($"{source.Length} bytes of {type} do not hold exactly {destination.Length} elements.", nameof(source));
        }

        switch (type)
        {
            case GgufTensorType.F32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case GgufTensorType.F16:
                var halves = MemoryMarshal.Cast<byte, Half>(source);
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)halves[i];
                }

                break;
            case GgufTensorType.BF16:
                var brains = MemoryMarshal.Cast<byte, ushort>(source);
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BitConverter.Int32BitsToSingle(brains[i] << 16);
                }

                break;
            case GgufTensorType.Q8_0:
                DequantizeQ8_0(source, destination);
                break;
            case GgufTensorType.Q4_0:
                DequantizeQ4_0(source, destination);
                break;
            case GgufTensorType.Q4_K:
                DequantizeQ4K(source, destination);
                break;
            default:
                DequantizeQ6K(source, destination);
                break;
        }
    }

    private static float ReadHalf(ReadOnlySpan<byte> bytes) => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes);

    private static void DequantizeQ8_0(ReadOnlySpan<byte> source, Span<float> destination)
    {
        // block_q8_0 { half d; int8 qs[32]; }: x = d * q
        for (int block = 0, offset = 0; block < destination.Length / 32; block++, offset += 34)
        {
            var d = ReadHalf(source[offset..]);
            var qs = MemoryMarshal.Cast<byte, sbyte>(source.Slice(offset + 2, 32));
            var y = destination.Slice(block * 32, 32);
            for (var j = 0; j < 32; j++)
            {
                y[j] = qs[j] * d;
            }
        }
    }

    private static void DequantizeQ4_0(ReadOnlySpan<byte> source, Span<float> destination)
    {
        // block_q4_0 { half d; uint8 qs[16]; }: low nibbles are elements 0..15, high nibbles 16..31; x = (q - 8) * d
        for (int block = 0, offset = 0; block < destination.Length / 32; block++, offset += 18)
        {
            var d = ReadHalf(source[offset..]);
            var qs = source.Slice(offset + 2, 16);
            var y = destination.Slice(block * 32, 32);
            for (var j = 0; j < 16; j++)
            {
                y[j] = ((qs[j] & 0x0F) - 8) * d;
                y[j + 16] = ((qs[j] >> 4) - 8) * d;
            }
        }
    }

    private static void DequantizeQ4K(ReadOnlySpan<byte> source, Span<float> destination)
    {
        // block_q4_K { half d; half dmin; uint8 scales[12]; uint8 qs[128]; }: eight sub-blocks of 32 with 6-bit
        // scale/min pairs packed in scales[]; x = d * sc * q - dmin * m.
        for (int block = 0, offset = 0; block < destination.Length / KBlock; block++, offset += 144)
        {
            var d = ReadHalf(source[offset..]);
            var dmin = ReadHalf(source[(offset + 2)..]);
            var scales = source.Slice(offset + 4, 12);
            var q = source.Slice(offset + 16, 128);
            var y = destination.Slice(block * KBlock, KBlock);
            for (int j = 0, sub = 0; j < KBlock; j += 64, sub += 2)
            {
                ScaleMinK4(sub, scales, out var sc1, out var m1);
                ScaleMinK4(sub + 1, scales, out var sc2, out var m2);
                float d1 = d * sc1, min1 = dmin * m1, d2 = d * sc2, min2 = dmin * m2;
                var qs = q.Slice(j / 2, 32);
                for (var l = 0; l < 32; l++)
                {
                    y[j + l] = (d1 * (qs[l] & 0x0F)) - min1;
                    y[j + 32 + l] = (d2 * (qs[l] >> 4)) - min2;
                }
            }
        }
    }

    private static void ScaleMinK4(int j, ReadOnlySpan<byte> q, out int scale, out int min)
    {
        if (j < 4)
        {
            scale = q[j] & 63;
            min = q[j + 4] & 63;
        }
        else
        {
            scale = (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4);
            min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
        }
    }

    private static void DequantizeQ6K(ReadOnlySpan<byte> source, Span<float> destination)
    {
        // block_q6_K { uint8 ql[128]; uint8 qh[64]; int8 scales[16]; half d; }: 6-bit values = 4 low bits from
        // ql, 2 high bits from qh, minus 32; sixteen sub-blocks of 16 with signed 8-bit scales.
        for (int block = 0, offset = 0; block < destination.Length / KBlock; block++, offset += 210)
        {
            var d = ReadHalf(source[(offset + 208)..]);
            var y = destination.Slice(block * KBlock, KBlock);
            for (var half = 0; half < 2; half++)
            {
                var ql = source.Slice(offset + (half * 64), 64);
                var qh = source.Slice(offset + 128 + (half * 32), 32);
                var sc = MemoryMarshal.Cast<byte, sbyte>(source.Slice(offset + 192 + (half * 8), 8));
                var yy = y.Slice(half * 128, 128);
                for (var l = 0; l < 32; l++)
                {
                    var s = l / 16;
                    var q1 = (ql[l] & 0x0F) | (((qh[l] >> 0) & 3) << 4);
                    var q2 = (ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4);
                    var q3 = (ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4);
                    var q4 = (ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4);
                    yy[l] = d * sc[s] * (q1 - 32);
                    yy[l + 32] = d * sc[s + 2] * (q2 - 32);
                    yy[l + 64] = d * sc[s + 4] * (q3 - 32);
                    yy[l + 96] = d * sc[s + 6] * (q4 - 32);
                }
            }
        }
    }
}
