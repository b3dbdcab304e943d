namespace Hanlin.Models.Gguf;

/// <summary>The storage type of a GGUF tensor (<c>ggml_type</c>); values are the on-disk tags.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "ggml's own type names (Q4_K etc.), as every GGUF tool prints them.")]
public enum GgufTensorType
{
    /// <summary>IEEE single.</summary>
    F32 = 0,

    /// <summary>IEEE half.</summary>
    F16 = 1,

    /// <summary>Blocks of 32: fp16 scale, 16 bytes of 4-bit values offset by 8.</summary>
    Q4_0 = 2,

    /// <summary>Blocks of 32: fp16 scale and min, 4-bit values.</summary>
    Q4_1 = 3,

    /// <summary>Blocks of 32: fp16 scale, 5-bit values.</summary>
    Q5_0 = 6,

    /// <summary>Blocks of 32: fp16 scale and min, 5-bit values.</summary>
    Q5_1 = 7,

    /// <summary>Blocks of 32: fp16 scale, 32 signed bytes.</summary>
    Q8_0 = 8,

    /// <summary>Blocks of 32: fp32 scale and sum, 32 signed bytes.</summary>
    Q8_1 = 9,

    /// <summary>K-quant super-blocks of 256, 2-bit.</summary>
    Q2_K = 10,

    /// <summary>K-quant super-blocks of 256, 3-bit.</summary>
    Q3_K = 11,

    /// <summary>K-quant super-blocks of 256: fp16 scale and min, 12 bytes of 6-bit sub-scales, 4-bit values.</summary>
    Q4_K = 12,

    /// <summary>K-quant super-blocks of 256, 5-bit.</summary>
    Q5_K = 13,

    /// <summary>K-quant super-blocks of 256: 4+2-bit values, 16 signed sub-scales, fp16 scale.</summary>
    Q6_K = 14,

    /// <summary>K-quant super-blocks of 256, 8-bit.</summary>
    Q8_K = 15,

    /// <summary>Signed 8-bit integer.</summary>
    I8 = 24,

    /// <summary>Signed 16-bit integer.</summary>
    I16 = 25,

    /// <summary>Signed 32-bit integer.</summary>
    I32 = 26,

    /// <summary>Signed 64-bit integer.</summary>
    I64 = 27,

    /// <summary>IEEE double.</summary>
    F64 = 28,

    /// <summary>bfloat16: the top half of an IEEE single.</summary>
    BF16 = 30,
}
