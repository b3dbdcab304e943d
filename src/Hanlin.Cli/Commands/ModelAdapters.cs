using Hanlin.Models.Chat;
using Hanlin.Models.Lora;

namespace Hanlin.Cli.Commands;

/// <summary>The one place commands apply a LoRA adapter directory (PEFT format) to a loaded model.</summary>
internal static class ModelAdapters
{
    /// <summary>
    /// Loads the adapter in <paramref name="adapterDirectory"/> and attaches it on the fly to <paramref name="model"/>;
    /// null when no adapter is asked for. The caller disposes the adapter after the model's last forward.
    /// </summary>
    public static LoraAdapter? Attach(LocalChatModel model, string? adapterDirectory)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (adapterDirectory is null)
        {
            return null;
        }

        var adapter = LoraAdapter.Load(adapterDirectory);
        try
        {
            model.Model.AttachAdapter(adapter);
            return adapter;
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
    }
}
