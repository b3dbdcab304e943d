using System.Text.Json.Nodes;
using Hanlin.Models.Tokenization;

namespace Hanlin.Training.Tests.FineTuning;

/// <summary>A real byte-level BPE tokenizer.json written by the test: the 256 GPT-2 byte symbols, a few merges and ChatML markers.</summary>
internal static class TestTokenizer
{
    public const string ChatMl =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public static ITextTokenizer Create(TempDirectory directory, string? chatTemplate = null)
    {
        var symbols = ByteSymbols();
        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++)
        {
            vocab[symbols[b].ToString()] = b;
        }

        string[][] merges = [["h", "e"], ["l", "l"], ["he", "ll"], ["Ġ", "t"]];
        var id = 256;
        foreach (var merge in merges)
        {
            vocab[merge[0] + merge[1]] = id++;
        }

        var added = new JsonArray();
        foreach (var special in new[] { "<|im_start|>", "<|im_end|>", "<|endoftext|>" })
        {
            vocab[special] = id;
            added.Add(new JsonObject { ["id"] = id++, ["content"] = special, ["special"] = true, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false });
        }

        var json = new JsonObject
        {
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. merges.Select(m => (JsonNode)new JsonArray(m[0], m[1]))]),
            },
        };
        directory.Write("tokenizer.json", json.ToJsonString());
        var config = new JsonObject { ["eos_token"] = "<|endoftext|>", ["pad_token"] = "<|endoftext|>" };
        if (chatTemplate is not null)
        {
            config["chat_template"] = chatTemplate;
        }

        directory.Write("tokenizer_config.json", config.ToJsonString());
        return TokenizerLoader.Load(directory.Path);
    }

    // GPT-2's reversible byte → printable symbol map.
    private static char[] ByteSymbols()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            map[b] = printable.Contains(b) ? (char)b : (char)next++;
        }

        return map;
    }
}
