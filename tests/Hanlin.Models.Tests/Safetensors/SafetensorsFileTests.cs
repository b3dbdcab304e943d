using System.Text;
using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Models.Safetensors;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Safetensors;

public sealed class SafetensorsFileTests
{
    private static readonly float[] Values = [1.5f, -2.25f, 0f, 3.0f, 1024f, -0.125f];

    [Fact]
    public void F32_BF16_and_F16_tensors_read_back_as_fp32_values()
    {
        using var temp = new TempDirectory();
        var path = Write(temp.File("model.safetensors"), new()
        {
            ["a.f32"] = ("F32", [2, 3], Values.SelectMany(BitConverter.GetBytes).ToArray()),
            ["b.bf16"] = ("BF16", [3, 2], Values.SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(v) >> 16))).ToArray()),
            ["c.f16"] = ("F16", [6], Values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray()),
        });

        using var file = SafetensorsFile.Open(path);
        using var scope = NewDisposeScope();

        Assert.Equal("test", file.Metadata["format"]);
        Assert.Equal([2L, 3L], file.ReadFp32("a.f32").shape);
        Assert.Equal(Values, file.ReadFp32("a.f32").data<float>().ToArray());
        Assert.Equal([3L, 2L], file.ReadFp32("b.bf16").shape);
        Assert.Equal(Values, file.ReadFp32("b.bf16").data<float>().ToArray()); // all exactly representable in bf16
        Assert.Equal(Values, file.ReadFp32("c.f16").data<float>().ToArray());
    }

    [Fact]
    public void A_header_that_lies_about_a_tensor_size_is_rejected_naming_the_file()
    {
        using var temp = new TempDirectory();
        var path = Write(temp.File("liar.safetensors"), new() { ["w"] = ("F32", [4, 4], new byte[32]) });

        var ex = Assert.Throws<HanlinException>(() => SafetensorsFile.Open(path));

        Assert.Equal(ErrorCodes.CorruptFile, ex.Code);
        Assert.Contains("liar.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_rejected()
    {
        using var temp = new TempDirectory();
        var path = Write(temp.File("cut.safetensors"), new() { ["w"] = ("F32", [2, 3], Values.SelectMany(BitConverter.GetBytes).ToArray()) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);

        var ex = Assert.Throws<HanlinException>(() => SafetensorsFile.Open(path));

        Assert.Equal(ErrorCodes.CorruptFile, ex.Code);
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_rejected()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("huge-header.safetensors", BitConverter.GetBytes(1_000_000L).Concat(new byte[16]).ToArray());

        var ex = Assert.Throws<HanlinException>(() => SafetensorsFile.Open(path));

        Assert.Equal(ErrorCodes.CorruptFile, ex.Code);
        Assert.Contains("huge-header.safetensors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_dtype_is_named_in_the_error()
    {
        using var temp = new TempDirectory();
        var path = Write(temp.File("ints.safetensors"), new() { ["ids"] = ("I64", [2], new byte[16]) });

        var ex = Assert.Throws<HanlinException>(() => SafetensorsFile.Open(path));

        Assert.Equal(ErrorCodes.UnsupportedModel, ex.Code);
        Assert.Contains("I64", ex.Message, StringComparison.Ordinal);
    }

    private static string Write(string path, Dictionary<string, (string DType, long[] Shape, byte[] Data)> tensors)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "test" } };
        var data = new List<byte>();
        foreach (var (name, (dtype, shape, bytes)) in tensors)
        {
            header[name] = new { dtype, shape, data_offsets = new[] { data.Count, data.Count + bytes.Length } };
            data.AddRange(bytes);
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)json.Length), .. json, .. data]);
        return path;
    }
}
