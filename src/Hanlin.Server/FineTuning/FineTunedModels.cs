using Hanlin.Core.Errors;
using Hanlin.Models.Chat;
using Hanlin.Models.Lora;
using Hanlin.Training.Jobs;
using Hanlin.Training.Registry;
using Microsoft.Extensions.AI;

namespace Hanlin.Server.FineTuning;

/// <summary>
/// Serves the models fine-tuning jobs produced (<c>ft:…</c> names) through <c>/v1/chat/completions</c>: the adapter and
/// its base are looked up in the model registry — whose checksums are verified before anything is loaded — then the
/// base is loaded with the adapter attached on the fly. A model stays loaded once used, for the life of the server
/// (unloading one while a request streams from it would break that request; an idle-unload with leases is future work).
/// </summary>
internal sealed class FineTunedModels(FineTuneStore store, ModelRegistry registry) : IDisposable
{
    /// <summary>Names of fine-tuned models start with this.</summary>
    public const string Prefix = "ft:";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Loaded> _loaded = new(StringComparer.Ordinal);

    /// <summary>Names of every fine-tuned model that jobs produced, newest first.</summary>
    public async Task<IReadOnlyList<(string Name, DateTimeOffset Created)>> ListAsync(CancellationToken cancellationToken)
    {
        var models = new List<(string, DateTimeOffset)>();
        string? after = null;
        while (true)
        {
            var page = await store.ListJobsAsync(after, 100, cancellationToken).ConfigureAwait(false);
            models.AddRange(page.Items.Where(j => j.FineTunedModel is not null).Select(j => (j.FineTunedModel!, j.FinishedAt ?? j.CreatedAt)));
            if (!page.HasMore)
            {
                return models;
            }

            after = page.Items[^1].Id;
        }
    }

    /// <summary>The chat client of fine-tuned model <paramref name="name"/>, loading it when needed.</summary>
    /// <exception cref="HanlinException">
    /// <c>unsupported_model</c> for an unknown name; <c>model_checksum_mismatch</c> when its files changed since training.
    /// </exception>
    public async Task<IChatClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_loaded.TryGetValue(name, out var current))
            {
                return current.Client;
            }

            ModelEntry adapterEntry;
            try
            {
                adapterEntry = await registry.ResolveForLoadingAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (HanlinException ex) when (ex.Code == ErrorCodes.ModelNotFound)
            {
                throw new HanlinException(ErrorCodes.UnsupportedModel, $"The model '{name}' does not exist; GET /v1/models lists the fine-tuned models served here.", ex);
            }

            var baseEntry = adapterEntry.BaseModelId is { } baseId
                ? await registry.ResolveForLoadingAsync(baseId, cancellationToken).ConfigureAwait(false)
                : throw new HanlinException(ErrorCodes.UnsupportedModel, $"The fine-tuned model '{name}' has no base model in the registry.");
            var model = await LocalChatModel.LoadAsync(name, baseEntry.Directory, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                var adapter = LoraAdapter.Load(adapterEntry.Directory);
                model.Model.AttachAdapter(adapter);
                var loaded = new Loaded(name, model, adapter, new LocalChatClient(model));
                _loaded[name] = loaded;
                return loaded.Client;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var loaded in _loaded.Values)
        {
            loaded.Dispose();
        }

        _gate.Dispose();
    }

    private sealed record Loaded(string Name, LocalChatModel Model, LoraAdapter Adapter, LocalChatClient Client) : IDisposable
    {
        public void Dispose()
        {
            Client.Dispose();
            Model.Dispose();
            Adapter.Dispose();
        }
    }
}
