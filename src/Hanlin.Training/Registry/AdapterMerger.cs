using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using Hanlin.Models.Lora;

namespace Hanlin.Training.Registry;

/// <summary>
/// Folds a registered LoRA adapter into its registered base model and registers the result as a <c>merged</c> model: a
/// Hugging Face directory (weights in the base's dtype, the base's config, tokenizer and chat template) that any runtime
/// loads without PEFT. Both inputs are verified against their checksums first; the lineage (base, dataset, hyperparameters,
/// metrics, job) is carried over from the adapter.
/// </summary>
public static class AdapterMerger
{
    /// <summary>Merges adapter <paramref name="adapterNameOrId"/> into <paramref name="outputDirectory"/> (new or empty) and registers it.</summary>
    /// <exception cref="HanlinException">
    /// <c>model_not_found</c>; <c>model_checksum_mismatch</c>; <c>invalid_argument</c> when the model is not an adapter, has no
    /// registered base, or the output directory is not empty.
    /// </exception>
    public static async Task<ModelEntry> MergeAsync(ModelRegistry registry, string adapterNameOrId, string outputDirectory, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var adapterEntry = await registry.ResolveForLoadingAsync(adapterNameOrId, cancellationToken).ConfigureAwait(false);
        if (adapterEntry.Kind != ModelKind.Adapter)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"'{adapterEntry.Name}' v{adapterEntry.Version} is a {adapterEntry.Kind} model, not an adapter; only adapters are merged.");
        }

        var baseEntry = adapterEntry.BaseModelId is { } baseId
            ? await registry.ResolveForLoadingAsync(baseId, cancellationToken).ConfigureAwait(false)
            : throw new HanlinException(ErrorCodes.InvalidArgument, $"Adapter '{adapterEntry.Name}' has no registered base model to merge into.");
        var output = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"The output directory '{output}' is not empty.");
        }

        using (var model = await LlamaModel.LoadHuggingFaceAsync(baseEntry.Directory, cancellationToken: cancellationToken).ConfigureAwait(false))
        using (var adapter = LoraAdapter.Load(adapterEntry.Directory))
        {
            model.AttachAdapter(adapter);
            model.MergeAdapter();
            await model.SaveHuggingFaceAsync(output, cancellationToken).ConfigureAwait(false);
        }

        return await registry.RegisterAsync(new ModelRegistration
        {
            Name = name ?? adapterEntry.Name + "-merged",
            Kind = ModelKind.Merged,
            Directory = output,
            BaseModelId = baseEntry.Id,
            DatasetSha256 = adapterEntry.DatasetSha256,
            HyperparametersJson = adapterEntry.HyperparametersJson,
            MetricsJson = adapterEntry.MetricsJson,
            JobId = adapterEntry.JobId,
        }, cancellationToken).ConfigureAwait(false);
    }
}
