using Hanlin.Core.Errors;
using Hanlin.Models.Chat;

namespace Hanlin.Cli.Commands;

/// <summary>
/// The one place commands apply a LoRA adapter directory to a loaded model. Until the LoRA runtime lands, any
/// <c>--adapter</c> is refused here with a clear error rather than silently evaluating the bare base model.
/// </summary>
internal static class ModelAdapters
{
    public static void Attach(LocalChatModel model, string? adapterDirectory)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (adapterDirectory is null)
        {
            return;
        }

        throw new HanlinException(
            ErrorCodes.UnsupportedModel,
            $"LoRA adapters not supported yet: '{adapterDirectory}' cannot be applied to model '{model.Name}' by this build.");
    }
}
