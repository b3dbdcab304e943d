using System.CommandLine;
using System.Text.Json;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Models.Bert;
using Hanlin.Models.Chat;
using Hanlin.Models.Generation;
using Hanlin.Models.Gguf;
using Hanlin.Models.HuggingFace;
using Hanlin.Models.Llama;
using Hanlin.Models.Runtime;
using Hanlin.Models.Templates;
using Hanlin.Models.Tokenization;
using Microsoft.Extensions.AI;
using Spectre.Console;
using static TorchSharp.torch;

namespace Hanlin.Cli.Commands;

/// <summary>
/// The local model runtime from the command line: <c>hanlin model inspect</c>, <c>hanlin generate</c>,
/// <c>hanlin chat</c> and <c>hanlin embed</c>. Models are Hugging Face directories or llama2.c checkpoints.
/// </summary>
internal static class ModelCommands
{
    public static Command CreateModel(IAnsiConsole console)
    {
        var command = new Command("model", "Inspect local model files (Hugging Face directories, GGUF, llama2.c).");
        command.Subcommands.Add(InspectCommand(console));
        return command;
    }

    public static Command CreateGenerate(IAnsiConsole console)
    {
        var model = ModelOption();
        var tokenizer = TokenizerOption();
        var prompt = new Option<string>("--prompt", "-p") { Description = "Text to continue (no chat template is applied).", Required = true };
        var maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 128 };
        var greedy = new Option<bool>("--greedy") { Description = "Argmax decoding (the default unless --temperature is given)." };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature (0 = greedy).", DefaultValueFactory = _ => 0f };
        var topP = new Option<float>("--top-p") { Description = "Nucleus sampling threshold.", DefaultValueFactory = _ => 1f };
        var topK = new Option<int>("--top-k") { Description = "Keep the k most likely tokens (0 = all).", DefaultValueFactory = _ => 0 };
        var seed = new Option<int?>("--seed") { Description = "Seed for reproducible sampling." };
        var dtype = DTypeOption();
        var command = new Command("generate", "Continue a prompt with a local model; --json prints prompt and generated token ids and the text.")
        {
            model, tokenizer, prompt, maxTokens, greedy, temperature, topP, topK, seed, dtype,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            using var chat = await LoadChatModelAsync(parseResult.GetValue(model)!, parseResult.GetValue(tokenizer), parseResult.GetValue(dtype)!, cancellationToken).ConfigureAwait(false);
            var text = parseResult.GetValue(prompt)!;
            var promptIds = chat.Tokenizer.Encode(text, addSpecialTokens: true, parseSpecialTokens: false);
            var options = chat.Defaults with
            {
                MaxNewTokens = parseResult.GetValue(maxTokens),
                Temperature = parseResult.GetValue(greedy) ? 0f : parseResult.GetValue(temperature),
                TopP = parseResult.GetValue(topP),
                TopK = parseResult.GetValue(topK),
                Seed = parseResult.GetValue(seed),
            };
            Validate(options);
            var generator = new TextGenerator(chat.Model);
            var decoder = new StreamingTextDecoder(chat.Tokenizer);
            var generated = new List<int>();
            await foreach (var token in generator.GenerateAsync(promptIds, options, cancellationToken).ConfigureAwait(false))
            {
                generated.Add(token);
                var piece = decoder.Append(token);
                if (!context.Json)
                {
                    console.Profile.Out.Writer.Write(piece);
                }
            }

            var rest = decoder.Flush();
            if (context.Json)
            {
                JsonOutput.Write(console, new { prompt_token_ids = promptIds, token_ids = generated, text = chat.Tokenizer.Decode(generated, skipSpecialTokens: true) });
            }
            else
            {
                console.Profile.Out.Writer.WriteLine(rest);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateChat(IAnsiConsole console)
    {
        var model = ModelOption();
        var tokenizer = TokenizerOption();
        var system = new Option<string?>("--system") { Description = "A system message for the conversation." };
        var maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Most tokens per answer.", DefaultValueFactory = _ => 512 };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature (default: the model's generation config)." };
        var dtype = DTypeOption();
        var command = new Command("chat", "Chat with a local model in the terminal (its own chat template; /reset clears the history, /exit or Ctrl+D ends).")
        {
            model, tokenizer, system, maxTokens, temperature, dtype,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var chat = await LoadChatModelAsync(parseResult.GetValue(model)!, parseResult.GetValue(tokenizer), parseResult.GetValue(dtype)!, cancellationToken).ConfigureAwait(false);
            using var client = new LocalChatClient(chat);
            var history = new List<ChatMessage>();
            if (parseResult.GetValue(system) is { Length: > 0 } systemText)
            {
                history.Add(new ChatMessage(ChatRole.System, systemText));
            }

            var options = new ChatOptions { MaxOutputTokens = parseResult.GetValue(maxTokens), Temperature = parseResult.GetValue(temperature) };
            var output = console.Profile.Out.Writer;
            console.MarkupLine($"[grey]{Markup.Escape(chat.Name)} — {(chat.Template is null ? "no chat template (base model): the text is continued" : "chat template loaded")}. /exit to quit.[/]");
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                output.Write("> ");
                output.Flush();
                var line = Console.In.ReadLine();
                if (line is null || line.Trim() == "/exit")
                {
                    return ExitCodes.Success;
                }

                if (line.Trim() == "/reset")
                {
                    history.RemoveAll(m => m.Role != ChatRole.System);
                    continue;
                }

                if (line.Trim().Length == 0)
                {
                    continue;
                }

                history.Add(new ChatMessage(ChatRole.User, line));
                var answer = new System.Text.StringBuilder();
                await foreach (var update in client.GetStreamingResponseAsync(history, options, cancellationToken).ConfigureAwait(false))
                {
                    answer.Append(update.Text);
                    output.Write(update.Text);
                    output.Flush();
                }

                output.WriteLine();
                history.Add(new ChatMessage(ChatRole.Assistant, answer.ToString()));
            }
        });
        return command;
    }

    public static Command CreateEmbed(IAnsiConsole console)
    {
        var model = ModelOption();
        var texts = new Argument<string[]>("text") { Description = "Texts to embed.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("embed", "Embed texts with a local BERT-family model (mean or CLS pooling, L2-normalised).") { model, texts };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            TorchRuntime.EnsureLoaded();
            var path = parseResult.GetValue(model)!;
            if (!Directory.Exists(path))
            {
                throw new HanlinException(ErrorCodes.FileNotFound, $"'{path}' is not a model directory; embed needs a Hugging Face BERT-family directory (config.json, model.safetensors, vocab.txt).");
            }

            using var generator = await BertEmbeddingGenerator.LoadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            var inputs = parseResult.GetValue(texts)!;
            var embeddings = await generator.GenerateAsync(inputs, cancellationToken: cancellationToken).ConfigureAwait(false);
            var rows = inputs.Zip(embeddings).Select(pair => new { text = pair.First, dimensions = pair.Second.Vector.Length, embedding = pair.Second.Vector.ToArray() }).ToList();
            if (context.Json)
            {
                JsonOutput.Write(console, new { model = path, pooling = generator.Pooling, data = rows, usage = new { input_tokens = embeddings.Usage?.InputTokenCount } });
            }
            else
            {
                foreach (var row in rows)
                {
                    console.MarkupLine($"[bold]{Markup.Escape(row.text)}[/] ({row.dimensions} dims): {string.Join(", ", row.embedding.Take(8).Select(v => v.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))} …");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command InspectCommand(IAnsiConsole console)
    {
        var path = new Argument<string>("path") { Description = "A Hugging Face model directory, a GGUF file or a llama2.c checkpoint." };
        var command = new Command("inspect", "Show architecture, parameters, dtype, context, tokenizer and chat template without running the model.") { path };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var target = parseResult.GetValue(path)!;
            var info = await InspectAsync(target, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, info);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Property", "Value").HideHeaders();
            foreach (var (key, value) in info)
            {
                table.AddRow(Markup.Escape(key), Markup.Escape(value switch
                {
                    null => "-",
                    string s => s,
                    _ => JsonSerializer.Serialize(value, JsonOutput.Options).ReplaceLineEndings(" "),
                }));
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<OrderedDictionary<string, object?>> InspectAsync(string path, CancellationToken cancellationToken)
    {
        var info = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["path"] = path };
        if (Directory.Exists(path))
        {
            var directory = HuggingFaceModelDirectory.Open(path);
            info["format"] = "huggingface";
            info["architecture"] = directory.Architecture.ToString();
            info["parameters"] = directory.ParameterCount;
            info["dtype"] = ReadTorchDType(path);
            info["weight_files"] = directory.WeightFiles.Select(Path.GetFileName).ToList();
            if (directory.DecoderConfig is { } decoder)
            {
                info["hidden"] = decoder.Dim;
                info["layers"] = decoder.Layers;
                info["heads"] = $"{decoder.Heads} query / {decoder.KvHeads} key-value";
                info["context"] = decoder.MaxSequenceLength;
                info["vocabulary"] = decoder.VocabSize;
                info["rope_theta"] = decoder.RopeTheta;
                info["rope_scaling"] = decoder.RopeScaling is null ? null : "llama3";
                info["eos_token_ids"] = directory.Generation.EosTokenIds;
            }

            if (directory.EncoderConfig is { } encoder)
            {
                info["hidden"] = encoder.HiddenSize;
                info["context"] = encoder.MaxPositions;
            }

            info["tokenizer"] = DescribeTokenizer(path);
            if (File.Exists(Path.Combine(path, "tokenizer_config.json")))
            {
                var chat = await ChatTemplateConfig.LoadAsync(path, cancellationToken).ConfigureAwait(false);
                info["chat_templates"] = chat.NamedTemplates.Keys.ToList();
            }

            return info;
        }

        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"Model '{path}' does not exist.");
        }

        if (GgufFile.HasMagic(path))
        {
            using var gguf = GgufFile.Open(path);
            var architecture = gguf.GetString("general.architecture");
            info["format"] = $"gguf v{gguf.Version}";
            info["architecture"] = architecture;
            info["name"] = gguf.GetString("general.name");
            info["parameters"] = gguf.Tensors.Sum(t => t.ElementCount);
            info["tensor_types"] = gguf.Tensors.GroupBy(t => t.Type.ToString()).ToDictionary(g => g.Key, g => g.Count());
            info["context"] = architecture is null ? null : gguf.GetInteger($"{architecture}.context_length");
            info["layers"] = architecture is null ? null : gguf.GetInteger($"{architecture}.block_count");
            info["tokenizer"] = gguf.GetString("tokenizer.ggml.model");
            info["chat_templates"] = gguf.GetString("tokenizer.chat_template") is null ? new List<string>() : ["default"];
            return info;
        }

        TorchRuntime.EnsureLoaded();
        using var model = LlamaModel.LoadLlama2c(path);
        var config = model.Config;
        info["format"] = "llama2.c";
        info["architecture"] = "Llama";
        info["parameters"] = model.ParameterCount;
        info["dtype"] = model.DType.ToString();
        info["hidden"] = config.Dim;
        info["layers"] = config.Layers;
        info["heads"] = $"{config.Heads} query / {config.KvHeads} key-value";
        info["context"] = config.MaxSequenceLength;
        info["vocabulary"] = config.VocabSize;
        info["chat_templates"] = new List<string>();
        return info;
    }

    private static string DescribeTokenizer(string directory)
    {
        try
        {
            var tokenizer = TokenizerLoader.Load(directory);
            return $"{tokenizer.GetType().Name}, {tokenizer.VocabularySize} tokens";
        }
        catch (HanlinException ex)
        {
            return $"not loadable: {ex.Message}";
        }
    }

    private static string? ReadTorchDType(string directory)
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "config.json")));
        return config.RootElement.TryGetProperty("torch_dtype", out var dtype) || config.RootElement.TryGetProperty("dtype", out dtype)
            ? dtype.ToString()
            : null;
    }

    internal static async Task<LocalChatModel> LoadChatModelAsync(string path, string? tokenizer, string dtype, CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        var scalar = dtype switch
        {
            "fp32" => ScalarType.Float32,
            "bf16" => ScalarType.BFloat16,
            _ => throw new HanlinException(ErrorCodes.InvalidArgument, $"--dtype must be fp32 or bf16, not '{dtype}'."),
        };
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        return await LocalChatModel.LoadAsync(name, path, tokenizer, scalar, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static void Validate(GenerationOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, ex.Message, ex);
        }
    }

    internal static Option<string> ModelOption() => new("--model", "-m") { Description = "A Hugging Face model directory or a llama2.c checkpoint.", Required = true };

    internal static Option<string?> TokenizerOption() => new("--tokenizer") { Description = "Tokenizer file (default: the model directory's tokenizer.json, or tokenizer.bin beside a llama2.c checkpoint)." };

    internal static Option<string> DTypeOption() => new("--dtype") { Description = "Compute precision: fp32 or bf16.", DefaultValueFactory = _ => "fp32" };
}
