using System.Text.Json;
using Hanlin.Models.Safetensors;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.HuggingFace;

/// <summary>The transformers reference fixtures under Fixtures/hf (see tools/hf-fixtures/generate.py).</summary>
internal static class HfFixtures
{
    public const string Llama3Gqa = "llama3-gqa";
    public const string LlamaBf16Sharded = "llama-bf16-sharded";
    public const string Qwen2Tied = "qwen2-tied";
    public const string MistralFp16 = "mistral-fp16";
    public const string Bert = "bert";

    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf");

    public static string Directory(string name) => Path.Combine(Root, name);

    public static JsonElement Reference(string name) => ReadReference(Root, name);

    /// <summary>A reference tensor (fp32) from <c>NAME.reference.safetensors</c>; joins the caller's dispose scope.</summary>
    public static Tensor ReferenceTensor(string name, string tensorName) => ReadReferenceTensor(Root, name, tensorName);

    /// <summary><c>NAME.reference.json</c> of a fixture folder (the layout the tools/ scripts write).</summary>
    public static JsonElement ReadReference(string root, string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, name + ".reference.json")));
        return document.RootElement.Clone();
    }

    /// <summary>A tensor (fp32) of <c>NAME.reference.safetensors</c> in a fixture folder; joins the caller's dispose scope.</summary>
    public static Tensor ReadReferenceTensor(string root, string name, string tensorName)
    {
        using var file = SafetensorsFile.Open(Path.Combine(root, name + ".reference.safetensors"));
        return file.ReadFp32(tensorName);
    }

    public static long[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    /// <summary>Copies fixture <paramref name="name"/> into <paramref name="target"/> so a test can damage it.</summary>
    public static string CopyTo(string name, TempDirectory target)
    {
        var destination = target.File(name);
        System.IO.Directory.CreateDirectory(destination);
        foreach (var file in System.IO.Directory.GetFiles(Directory(name)))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        return destination;
    }

    public static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();
}
