using Hanlin.Core.Errors;
using Hanlin.Models.Llama;

namespace Hanlin.Models.Lora;

/// <summary>PEFT/Hugging Face names and shapes of the <see cref="LoraTargetModule"/> projections.</summary>
public static class LoraTargetModuleNames
{
    /// <summary>Every module, in PEFT's usual order.</summary>
    public static IReadOnlyList<LoraTargetModule> All { get; } =
    [
        LoraTargetModule.QProj, LoraTargetModule.KProj, LoraTargetModule.VProj, LoraTargetModule.OProj,
        LoraTargetModule.GateProj, LoraTargetModule.UpProj, LoraTargetModule.DownProj,
    ];

    /// <summary>The Hugging Face module name, e.g. <c>q_proj</c>.</summary>
    public static string Name(LoraTargetModule module) => module switch
    {
        LoraTargetModule.QProj => "q_proj",
        LoraTargetModule.KProj => "k_proj",
        LoraTargetModule.VProj => "v_proj",
        LoraTargetModule.OProj => "o_proj",
        LoraTargetModule.GateProj => "gate_proj",
        LoraTargetModule.UpProj => "up_proj",
        LoraTargetModule.DownProj => "down_proj",
        _ => throw new ArgumentOutOfRangeException(nameof(module), module, null),
    };

    /// <summary>Parses a Hugging Face module name.</summary>
    /// <exception cref="HanlinException"><c>invalid_argument</c> for a name that is not one of the seven projections.</exception>
    public static LoraTargetModule Parse(string name)
    {
        foreach (var module in All)
        {
            if (Name(module) == name)
            {
                return module;
            }
        }

        throw new HanlinException(
            ErrorCodes.InvalidArgument,
            $"LoRA target module '{name}' does not exist in a Llama/Qwen2 decoder block; the modules are {string.Join(", ", All.Select(Name))}.");
    }

    /// <summary>The module's path inside a decoder block, e.g. <c>self_attn.q_proj</c> or <c>mlp.down_proj</c>.</summary>
    public static string Path(LoraTargetModule module) =>
        (module is LoraTargetModule.GateProj or LoraTargetModule.UpProj or LoraTargetModule.DownProj ? "mlp." : "self_attn.") + Name(module);

    /// <summary>(out, in) features of <paramref name="module"/> in a model of shape <paramref name="config"/>.</summary>
    public static (int Out, int In) Shape(LoraTargetModule module, LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return module switch
        {
            LoraTargetModule.QProj => (config.Dim, config.Dim),
            LoraTargetModule.KProj or LoraTargetModule.VProj => (config.KvDim, config.Dim),
            LoraTargetModule.OProj => (config.Dim, config.Dim),
            LoraTargetModule.GateProj or LoraTargetModule.UpProj => (config.HiddenDim, config.Dim),
            LoraTargetModule.DownProj => (config.Dim, config.HiddenDim),
            _ => throw new ArgumentOutOfRangeException(nameof(module), module, null),
        };
    }
}
