using Hanlin.Models.Safetensors;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.HuggingFace;

public sealed class SafetensorsReadTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Reading_into_a_compute_type_equals_reading_fp32_and_converting(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        foreach (var (fixture, file) in new[] { (HfFixtures.MistralFp16, "model.safetensors"), (HfFixtures.LlamaBf16Sharded, "model-00001-of-00003.safetensors"), (HfFixtures.Qwen2Tied, "model.safetensors") })
        {
            using var safetensors = SafetensorsFile.Open(Path.Combine(HfFixtures.Directory(fixture), file));
            foreach (var name in safetensors.Entries.Keys)
            {
                var direct = safetensors.Read(name, dtype);
                var viaFp32 = safetensors.ReadFp32(name).to(dtype);
                Assert.Equal(dtype, direct.dtype);
                Assert.True(direct.to(ScalarType.Float32).allclose(viaFp32.to(ScalarType.Float32), rtol: 0, atol: 0), $"{fixture}/{name} differs");
            }
        }
    }
}
