using Hanlin.Core.Errors;
using Hanlin.Models.Safetensors;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Safetensors;

public sealed class SafetensorsWriterTests
{
    [Fact]
    public void Written_tensors_read_back_exactly_in_each_element_type_with_an_8_byte_aligned_header()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        var fp32 = arange(12, dtype: ScalarType.Float32).reshape(3, 4).div_(7);
        var bf16 = fp32.to(ScalarType.BFloat16);
        var transposed = fp32.t(); // not contiguous: written in logical order
        var path = temp.File("t.safetensors");

        SafetensorsWriter.Write(path, [new("z.fp32", fp32), new("a.bf16", bf16), new("m.t", transposed)], new Dictionary<string, string> { ["format"] = "pt" });

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0, BitConverter.ToInt64(bytes, 0) % 8);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(["a.bf16", "m.t", "z.fp32"], file.Entries.Values.OrderBy(e => e.Begin).Select(e => e.Name));
        Assert.True(file.Read("z.fp32", ScalarType.Float32).eq(fp32).all().item<bool>());
        Assert.True(file.Read("a.bf16", ScalarType.BFloat16).eq(bf16).all().item<bool>());
        Assert.True(file.Read("m.t", ScalarType.Float32).eq(transposed).all().item<bool>());
    }

    [Fact]
    public void Writing_the_same_tensors_twice_gives_the_same_bytes_and_leaves_no_temporary_file()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        var tensors = new KeyValuePair<string, Tensor>[] { new("b", ones(5)), new("a", zeros(2, 2)) };

        SafetensorsWriter.Write(temp.File("1.safetensors"), tensors);
        SafetensorsWriter.Write(temp.File("2.safetensors"), tensors.Reverse());

        Assert.Equal(File.ReadAllBytes(temp.File("1.safetensors")), File.ReadAllBytes(temp.File("2.safetensors")));
        Assert.Equal(2, Directory.GetFiles(temp.Path).Length);
    }

    [Fact]
    public void Duplicate_names_and_unsupported_element_types_are_refused_and_nothing_is_written()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();

        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<HanlinException>(() => SafetensorsWriter.Write(temp.File("d.safetensors"), [new("x", ones(1)), new("x", ones(1))])).Code);
        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<HanlinException>(() => SafetensorsWriter.Write(temp.File("i.safetensors"), [new("ids", ones(2, dtype: ScalarType.Int64))])).Code);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
