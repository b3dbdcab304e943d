using System.CommandLine;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Models.Benchmarks;
using Hanlin.Models.Chat;
using Hanlin.Models.Llama;
using Hanlin.Training.Benchmarks;
using Hanlin.Training.FineTuning;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary>
/// <c>hanlin bench finetune</c>: (1) with <c>--model</c> (a small real model, e.g. stories260K), the domain-adaptation
/// demonstration: held-out perplexity on a pharmacy domain and on the model's own stories before and after LoRA;
/// (2) LoRA training throughput and model-FLOPs utilisation on a random-weight model of the reference shape
/// (Qwen2.5-0.5B-like) built in memory, against the machine's measured matrix-matrix peak.
/// </summary>
internal static class BenchFinetuneCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<string?>("--model") { Description = "A small real model for the demonstration (llama2.c checkpoint, GGUF or Hugging Face folder); without it the demonstration is skipped." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "Tokenizer of a llama2.c checkpoint (e.g. tok512.bin)." };
        var steps = new Option<int>("--steps") { Description = "Demonstration: optimiser steps.", DefaultValueFactory = _ => 40 };
        var rank = new Option<int>("--rank") { Description = "LoRA rank (both parts).", DefaultValueFactory = _ => 8 };
        var learningRate = new Option<double>("--lr") { Description = "Demonstration: peak learning rate.", DefaultValueFactory = _ => 5e-4 };
        var modules = new Option<string>("--modules") { Description = "Demonstration: adapted modules, comma-separated.", DefaultValueFactory = _ => "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj" };
        var throughputSteps = new Option<int>("--throughput-steps") { Description = "Throughput: timed steps after one warm-up step; 0 skips the throughput part.", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Throughput: sequences per step.", DefaultValueFactory = _ => 1 };
        var sequence = new Option<int>("--seq") { Description = "Throughput: tokens per sequence.", DefaultValueFactory = _ => 512 };
        var command = new Command("finetune", "LoRA: domain-adaptation perplexities on a real small model, and training tokens/s and model-FLOPs utilisation on the reference shape.")
        {
            model, tokenizer, steps, rank, learningRate, modules, throughputSteps, batch, sequence,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            Hanlin.Models.Runtime.TorchRuntime.EnsureLoaded();
            DomainAdaptationResult? demonstration = null;
            if (parseResult.GetValue(model) is { } path)
            {
                using var chat = await LocalChatModel.LoadAsync("demo", path, parseResult.GetValue(tokenizer), cancellationToken: cancellationToken).ConfigureAwait(false);
                var defaults = FineTuneBenchmark.DemonstrationOptions;
                var options = defaults with
                {
                    Lora = defaults.Lora with { Rank = parseResult.GetValue(rank), Alpha = 2 * parseResult.GetValue(rank), TargetModules = parseResult.GetValue(modules)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                    LearningRate = parseResult.GetValue(learningRate),
                    MaxSteps = Positive(parseResult.GetValue(steps), "--steps"),
                };
                var run = Path.Combine(Path.GetTempPath(), "hanlin-bench-finetune-" + Guid.NewGuid().ToString("N")[..8]);
                try
                {
                    if (!context.Json)
                    {
                        console.MarkupLine($"Demonstration on [bold]{Markup.Escape(path)}[/]: {options.MaxSteps} steps of rank-{options.Lora.Rank} LoRA…");
                    }

                    demonstration = await FineTuneBenchmark.DemonstrateAsync(chat, options, run, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (Directory.Exists(run))
                    {
                        Directory.Delete(run, recursive: true);
                    }
                }
            }

            TrainingThroughputResult? throughput = null;
            HardwareProbeResult? probe = null;
            if (parseResult.GetValue(throughputSteps) is > 0 and var timed)
            {
                probe = HardwareProbe.Run();
                if (!context.Json)
                {
                    console.MarkupLine("Throughput: building a random-weight model of the reference shape…");
                }

                using var llama = LlamaModel.CreateRandom(GenerationBenchmark.ReferenceShape, seed: 1);
                var sampler = new Bench.MemorySampler();
                await using var sampling = sampler.ConfigureAwait(false);
                throughput = FineTuneBenchmark.MeasureThroughput(
                    llama, new LoraSettings { Rank = parseResult.GetValue(rank), Alpha = 2 * parseResult.GetValue(rank), TargetModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] },
                    Positive(parseResult.GetValue(batch), "--batch"), Positive(parseResult.GetValue(sequence), "--seq"), timed, probe.MatMulGigaflops, cancellationToken);
                JsonOutput.Write(console, new { demonstration, demonstration_meets_target = demonstration?.MeetsTarget, throughput, peak_rss_bytes = sampler.PeakBytes, weight_bytes = llama.ParameterCount * 4, hardware = probe });
                return ExitCodes.Success;
            }

            JsonOutput.Write(console, new { demonstration, demonstration_meets_target = demonstration?.MeetsTarget });
            return ExitCodes.Success;
        });
        return command;
    }

    private static int Positive(int value, string name) => value > 0
        ? value
        : throw new HanlinException(ErrorCodes.InvalidArgument, $"{name} must be a positive number; got {value}.");
}
