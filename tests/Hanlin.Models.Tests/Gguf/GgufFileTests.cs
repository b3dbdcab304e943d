using System.Buffers.Binary;
using Hanlin.Core.Errors;
using Hanlin.Models.Gguf;

namespace Hanlin.Models.Tests.Gguf;

public sealed class GgufFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_metadata_value_type_reads_back_as_written()
    {
        var path = new GgufWriter()
            .Add("u8", GgufValueType.UInt8, (byte)200)
            .Add("i8", GgufValueType.Int8, (sbyte)-100)
            .Add("u16", GgufValueType.UInt16, (ushort)60000)
            .Add("i16", GgufValueType.Int16, (short)-30000)
            .Add("u32", GgufValueType.UInt32, 4000000000u)
            .Add("i32", GgufValueType.Int32, -2000000000)
            .Add("f32", GgufValueType.Float32, 1.5f)
            .Add("yes", GgufValueType.Bool, true)
            .Add("name", GgufValueType.String, "翰林 model")
            .Add("u64", GgufValueType.UInt64, ulong.MaxValue)
            .Add("i64", GgufValueType.Int64, long.MinValue)
            .Add("f64", GgufValueType.Float64, Math.PI)
            .AddArray("tokens", GgufValueType.String, new[] { "<s>", "▁the", "" })
            .AddArray("scores", GgufValueType.Float32, new object[] { -1f, 0.25f })
            .AddArray("types", GgufValueType.Int32, new object[] { 1, 3 })
            .AddArray("empty", GgufValueType.UInt8, Array.Empty<object>())
            .AddArray("nested", GgufValueType.Array, new object[] { (GgufValueType.Int16, new object[] { (short)7, (short)-7 }) })
            .WriteTo(_temp.File("meta.gguf"));

        using var file = GgufFile.Open(path);
        Assert.Equal(3, file.Version);
        Assert.Equal((byte)200, file.Metadata["u8"]);
        Assert.Equal((sbyte)-100, file.Metadata["i8"]);
        Assert.Equal((ushort)60000, file.Metadata["u16"]);
        Assert.Equal((short)-30000, file.Metadata["i16"]);
        Assert.Equal(4000000000L, file.GetInteger("u32"));
        Assert.Equal(-2000000000L, file.GetInteger("i32"));
        Assert.Equal(1.5, file.GetFloat("f32"));
        Assert.True(file.GetBool("yes"));
        Assert.Equal("翰林 model", file.GetString("name"));
        Assert.Equal(ulong.MaxValue, file.Metadata["u64"]);
        Assert.Equal(long.MinValue, file.GetInteger("i64"));
        Assert.Equal(Math.PI, file.GetFloat("f64"));
        Assert.Equal(["<s>", "▁the", ""], file.GetArray<string>("tokens")!);
        Assert.Equal([-1f, 0.25f], file.GetArray<float>("scores")!);
        Assert.Equal([1, 3], file.GetArray<int>("types")!);
        Assert.Empty(file.GetArray<byte>("empty")!);
        var nested = Assert.Single(file.GetArray<object>("nested")!);
        Assert.Equal(new short[] { 7, -7 }, nested);
        Assert.Null(file.GetString("absent"));
        Assert.Equal(ErrorCodes.CorruptFile, Assert.Throws<HanlinException>(() => file.GetString("u8")).Code);
    }

    [Fact]
    public void Version_2_files_are_read_too()
    {
        var path = new GgufWriter { Version = 2 }.Add("general.architecture", GgufValueType.String, "llama").WriteTo(_temp.File("v2.gguf"));
        using var file = GgufFile.Open(path);
        Assert.Equal(2, file.Version);
        Assert.Equal("llama", file.GetString("general.architecture"));
    }

    [Fact]
    public void Float_tensors_dequantise_to_the_stored_values_with_ggml_dimension_order()
    {
        float[] values = [1f, -2.5f, 0.125f, 65280f, -0f, 3f]; // exact in F16 and BF16
        var f32 = values.SelectMany(BitConverter.GetBytes).ToArray();
        var f16 = values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray();
        var bf16 = values.SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(v) >> 16))).ToArray();
        var path = new GgufWriter()
            .AddTensor("a", [3, 2], GgufTensorType.F32, f32)
            .AddTensor("b", [3, 2], GgufTensorType.F16, f16)
            .AddTensor("c", [6], GgufTensorType.BF16, bf16)
            .WriteTo(_temp.File("float.gguf"));

        using var file = GgufFile.Open(path);
        Assert.Equal([2L, 3L], file.GetTensor("a").Shape);
        Assert.Equal(values, file.ReadFloat32("a"));
        Assert.Equal(values, file.ReadFloat32("b"));
        Assert.Equal(values, file.ReadFloat32("c"));
        Assert.Equal(f32, file.GetTensorBytes(file.GetTensor("a")).ToArray());
        using var tensor = file.ReadFp32("b");
        Assert.Equal([2L, 3L], tensor.shape);
        Assert.Equal(values, tensor.data<float>().ToArray());
        Assert.All(file.Tensors, t => Assert.Equal(0, t.Offset % file.Alignment));
        Assert.Equal(0, file.DataOffset % 32);
    }

    [Fact]
    public void Q8_0_blocks_dequantise_to_scale_times_value()
    {
        // Two blocks: d = 0.5 with q = -16..15, then d = -2 with q = 127, -128, 0, ...
        var block1 = Block(0.5f, Enumerable.Range(-16, 32).Select(q => (byte)(sbyte)q));
        var block2 = Block(-2f, new byte[] { 127, unchecked((byte)-128) }.Concat(new byte[30]));
        var path = new GgufWriter().AddTensor("q", [64], GgufTensorType.Q8_0, [.. block1, .. block2]).WriteTo(_temp.File("q8.gguf"));

        using var file = GgufFile.Open(path);
        var values = file.ReadFloat32("q");
        Assert.Equal(Enumerable.Range(-16, 32).Select(q => q * 0.5f), values[..32]);
        Assert.Equal(-254f, values[32]);
        Assert.Equal(256f, values[33]);
        Assert.All(values[34..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Q4_0_blocks_put_low_nibbles_first_and_subtract_eight()
    {
        // qs[j] = (high << 4) | low with low = j, high = 15 - j: elements 0..15 are (j - 8) * d, 16..31 are (7 - j) * d.
        var path = new GgufWriter()
            .AddTensor("q", [32], GgufTensorType.Q4_0, Block(2f, Enumerable.Range(0, 16).Select(j => (byte)(((15 - j) << 4) | j))))
            .WriteTo(_temp.File("q4.gguf"));

        using var file = GgufFile.Open(path);
        var values = file.ReadFloat32("q");
        Assert.Equal(Enumerable.Range(0, 16).Select(j => (j - 8) * 2f), values[..16]);
        Assert.Equal(Enumerable.Range(0, 16).Select(j => (7 - j) * 2f), values[16..]);
    }

    [Fact]
    public void Q4_K_super_blocks_apply_packed_six_bit_scales_and_mins()
    {
        // d = 1, dmin = 0.5. Sub-blocks 0-3: scale 2, min 1 (scales[0..3] = 2, scales[4..7] = 1); sub-blocks 4-7:
        // scale = low nibble of scales[8..11] | top two bits of scales[0..3] << 4, min = high nibble | top bits of scales[4..7].
        // scales[0] = 0x42 keeps sub-block 0's scale 2 but gives sub-block 4 scale 2 | 1 << 4 = 18.
        var scales = new byte[] { 0x42, 2, 2, 2, 1, 1, 1, 1, 0x12, 0x12, 0x12, 0x12 };
        var qs = Enumerable.Repeat((byte)0x53, 128); // low nibble 3, high nibble 5
        var block = Half(1f).Concat(Half(0.5f)).Concat(scales).Concat(qs).ToArray();
        var path = new GgufWriter().AddTensor("q", [256], GgufTensorType.Q4_K, block).WriteTo(_temp.File("q4k.gguf"));

        using var file = GgufFile.Open(path);
        var values = file.ReadFloat32("q");
        // Each 64-element chunk: 32 low nibbles with sub-block 2c, then 32 high nibbles with sub-block 2c+1; y = d*sc*q - dmin*m.
        Assert.All(values[0..32], v => Assert.Equal((2 * 3) - 0.5f, v));
        Assert.All(values[32..64], v => Assert.Equal((2 * 5) - 0.5f, v));
        Assert.All(values[64..128], v => Assert.True(v is 5.5f or 9.5f));
        Assert.All(values[128..160], v => Assert.Equal((18 * 3) - 0.5f, v));
        Assert.All(values[160..192], v => Assert.Equal((2 * 5) - 0.5f, v));
    }

    [Fact]
    public void Q6_K_super_blocks_combine_low_and_high_bits_with_signed_scales()
    {
        // ql = 0x21 (low nibble 1, high nibble 2), qh = 0xE4 (two-bit fields 0, 1, 2, 3), scales 1 except scales[0] = -2, d = 0.25.
        // Per 128-half: q1 = 1 | 0 << 4 = 1, q2 = 1 | 1 << 4 = 17, q3 = 2 | 2 << 4 = 34, q4 = 2 | 3 << 4 = 50; value = d * scale * (q - 32).
        var scales = new byte[16];
        Array.Fill(scales, (byte)1);
        scales[0] = unchecked((byte)-2);
        var block = Enumerable.Repeat((byte)0x21, 128).Concat(Enumerable.Repeat((byte)0xE4, 64)).Concat(scales).Concat(Half(0.25f)).ToArray();
        var path = new GgufWriter().AddTensor("q", [256], GgufTensorType.Q6_K, block).WriteTo(_temp.File("q6k.gguf"));

        using var file = GgufFile.Open(path);
        var values = file.ReadFloat32("q");
        Assert.All(values[0..16], v => Assert.Equal(15.5f, v)); // 0.25 * -2 * -31
        Assert.All(values[16..32], v => Assert.Equal(-7.75f, v)); // 0.25 * 1 * -31
        Assert.All(values[32..64], v => Assert.Equal(-3.75f, v)); // 0.25 * -15
        Assert.All(values[64..96], v => Assert.Equal(0.5f, v)); // 0.25 * 2
        Assert.All(values[96..128], v => Assert.Equal(4.5f, v)); // 0.25 * 18
        Assert.All(values[128..160], v => Assert.Equal(-7.75f, v));
        Assert.All(values[224..256], v => Assert.Equal(4.5f, v));
    }

    [Fact]
    public void A_custom_alignment_places_the_data_section_and_offsets_on_its_boundary()
    {
        var path = new GgufWriter()
            .Add("general.alignment", GgufValueType.UInt32, 64u)
            .AddTensor("a", [3], GgufTensorType.F32, new[] { 1f, 2f, 3f }.SelectMany(BitConverter.GetBytes).ToArray())
            .AddTensor("b", [2], GgufTensorType.F32, new[] { 4f, 5f }.SelectMany(BitConverter.GetBytes).ToArray())
            .WriteTo(_temp.File("aligned.gguf"));

        using var file = GgufFile.Open(path);
        Assert.Equal(64, file.Alignment);
        Assert.Equal(0, file.DataOffset % 64);
        Assert.Equal(64, file.GetTensor("b").Offset);
        Assert.Equal([4f, 5f], file.ReadFloat32("b"));
    }

    [Fact]
    public void A_truncated_file_is_rejected_naming_the_tensor_that_runs_past_the_end()
    {
        var bytes = new GgufWriter().AddTensor("blk.0.w", [64], GgufTensorType.F32, new byte[256]).ToBytes();
        var path = _temp.File("cut.gguf");
        File.WriteAllBytes(path, bytes[..^10]);

        var error = Assert.Throws<HanlinException>(() => GgufFile.Open(path));
        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("blk.0.w", error.Message, StringComparison.Ordinal);
        Assert.Contains("cut.gguf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_cut_inside_its_metadata_is_rejected()
    {
        var bytes = new GgufWriter().AddArray("tokenizer.ggml.tokens", GgufValueType.String, Enumerable.Range(0, 100).Select(i => $"token{i}")).ToBytes();
        var path = _temp.File("cut-meta.gguf");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<HanlinException>(() => GgufFile.Open(path));
        Assert.Equal(ErrorCodes.CorruptFile, error.Code);
        Assert.Contains("tokenizer.ggml.tokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_that_the_file_cannot_hold_are_rejected_before_allocating()
    {
        var bytes = new GgufWriter().Add("a", GgufValueType.UInt8, (byte)1).ToBytes();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), ulong.MaxValue / 2); // metadata count
        var path = _temp.File("lying.gguf");
        File.WriteAllBytes(path, bytes);

        Assert.Equal(ErrorCodes.CorruptFile, Assert.Throws<HanlinException>(() => GgufFile.Open(path)).Code);
    }

    [Fact]
    public void An_unknown_tensor_type_is_reported_as_unsupported()
    {
        var path = new GgufWriter().AddTensor("w", [32], 99u, new byte[32]).WriteTo(_temp.File("unknown.gguf"));

        var error = Assert.Throws<HanlinException>(() => GgufFile.Open(path));
        Assert.Equal(ErrorCodes.UnsupportedModel, error.Code);
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_known_type_without_a_dequantiser_fails_only_when_converted()
    {
        var path = new GgufWriter().AddTensor("w", [256], GgufTensorType.Q5_K, new byte[176]).WriteTo(_temp.File("q5k.gguf"));

        using var file = GgufFile.Open(path);
        Assert.Equal(176, file.GetTensorBytes(file.GetTensor("w")).Length);
        Assert.Equal(ErrorCodes.UnsupportedModel, Assert.Throws<HanlinException>(() => file.ReadFloat32("w")).Code);
    }

    [Fact]
    public void A_misaligned_tensor_offset_is_rejected()
    {
        var path = new GgufWriter().AddTensor("w", [4], GgufTensorType.F32, new byte[16], offset: 4).WriteTo(_temp.File("misaligned.gguf"));

        Assert.Equal(ErrorCodes.CorruptFile, Assert.Throws<HanlinException>(() => GgufFile.Open(path)).Code);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'G', (byte)'G', (byte)'M', (byte)'L' }, "corrupt_file")]
    [InlineData(new byte[0], "corrupt_file")]
    public void Files_that_are_not_gguf_are_rejected(byte[] magic, string code)
    {
        var path = _temp.File("bad.gguf");
        File.WriteAllBytes(path, magic.Length == 0 ? [] : [.. magic, .. new byte[40]]);
        Assert.Equal(code, Assert.Throws<HanlinException>(() => GgufFile.Open(path)).Code);
    }

    [Fact]
    public void Version_1_is_reported_as_unsupported()
    {
        var path = new GgufWriter { Version = 1 }.WriteTo(_temp.File("v1.gguf"));
        Assert.Equal(ErrorCodes.UnsupportedModel, Assert.Throws<HanlinException>(() => GgufFile.Open(path)).Code);
    }

    [Fact]
    public void A_missing_file_is_reported_as_not_found()
    {
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<HanlinException>(() => GgufFile.Open(_temp.File("absent.gguf"))).Code);
    }

    [Theory]
    [InlineData("ggml-vocab-gpt-2.gguf", "gpt2", "gpt-2", 50257)]
    [InlineData("ggml-vocab-llama-spm.gguf", "llama", "default", 32000)]
    [InlineData("ggml-vocab-phi-3.gguf", "llama", "default", 32064)]
    [InlineData("ggml-vocab-bert-bge.gguf", "bert", "bert-bge", 30522)]
    [InlineData("ggml-vocab-deepseek-coder.gguf", "gpt2", "deepseek-coder", 32256)]
    [InlineData("ggml-vocab-deepseek-llm.gguf", "gpt2", "deepseek-llm", 102400)]
    public void Real_vocabulary_files_expose_their_tokenizer_metadata(string name, string model, string pre, int tokens)
    {
        using var file = GgufFile.Open(SharedData.Require("tokenizers/" + name));
        Assert.Equal(model, file.GetString("tokenizer.ggml.model"));
        Assert.Equal(pre, file.GetString("tokenizer.ggml.pre") ?? "default");
        Assert.Equal(tokens, file.GetArray<string>("tokenizer.ggml.tokens")!.Length);
        Assert.Equal(tokens, file.GetArray<int>("tokenizer.ggml.token_type")!.Length);
        Assert.Empty(file.Tensors);
    }

    private static byte[] Half(float value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)value);
        return bytes;
    }

    private static byte[] Block(float scale, IEnumerable<byte> quants) => [.. Half(scale), .. quants];
}
