using System.Text.Json;
using Hanlin.Models.Llama;
using Hanlin.Models.Tests.HuggingFace;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Lora;

/// <summary>The transformers + PEFT fixtures under Fixtures/peft (see tools/peft-fixtures/generate.py); base models come from Fixtures/hf.</summary>
internal static class PeftFixtures
{
    public const string LlamaLora = "llama-lora";
    public const string Qwen2Lora = "qwen2-lora";
    public const string LlamaRsLora = "llama-rslora";
    public const string Qwen2Layers = "qwen2-layers";
    public const string HanlinWritten = "hanlin-written";

    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures", "peft");

    public static string Directory(string name) => Path.Combine(Root, name);

    public static JsonElement Reference(string name) => HfFixtures.ReadReference(Root, name);

    /// <summary>A reference tensor from <c>NAME.reference.safetensors</c>; joins the caller's dispose scope.</summary>
    public static Tensor ReferenceTensor(string name, string tensorName) => HfFixtures.ReadReferenceTensor(Root, name, tensorName);

    public static Task<LlamaModel> LoadBaseAsync(string name) =>
        LlamaModel.LoadHuggingFaceAsync(HfFixtures.Directory(Reference(name).GetProperty("base").GetString()!), cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>A [rows, columns] int64 tensor from a JSON array of arrays; joins the caller's dispose scope.</summary>
    public static Tensor Matrix(JsonElement rows)
    {
        var values = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        return tensor(values.SelectMany(v => v).ToArray(), values.Length, values[0].Length);
    }
}
