namespace Hanlin.Models.Gguf;

/// <summary>One tensor's entry in a GGUF file.</summary>
/// <param name="Name">Tensor name, e.g. <c>blk.0.attn_q.weight</c>.</param>
/// <param name="Dimensions">ggml order: <c>Dimensions[0]</c> is the innermost (contiguous) axis, the reverse of PyTorch's shape.</param>
/// <param name="Type">Storage type.</param>
/// <param name="Offset">Byte offset from the start of the data section (a multiple of the file's alignment).</param>
/// <param name="ByteSize">Bytes the tensor occupies, derived from type and element count.</param>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dimensions, GgufTensorType Type, long Offset, long ByteSize)
{
    /// <summary>Product of the dimensions.</summary>
    public long ElementCount => Dimensions.Aggregate(1L, (a, d) => a * d);

    /// <summary>The shape in PyTorch order (outermost first).</summary>
    public long[] Shape => [.. Dimensions.Reverse()];
}
