using System.Text.Json;

namespace Hanlin.Models.Tests;

/// <summary>Paths and reference cases of ../shared/models/stories260K (tests skip when it is absent).</summary>
internal static class Stories260K
{
    public static string Checkpoint => SharedData.Require("models/stories260K/stories260K.bin");

    public static string QuantizedCheckpoint => SharedData.Require("models/stories260K/stories260K-q8.bin");

    public static string Tokenizer => SharedData.Require("models/stories260K/tok512.bin");

    public static JsonElement References()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedData.Require("models/stories260K/reference_outputs.json")));
        return document.RootElement.Clone();
    }

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
