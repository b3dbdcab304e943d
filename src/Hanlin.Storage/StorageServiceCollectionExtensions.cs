using Hanlin.Core.Storage;
using Hanlin.Storage.Blobs;
using Hanlin.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hanlin.Storage;

/// <summary>Registers Hanlin's embedded storage.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HanlinDataDirectory"/> (resolved from <paramref name="dataDirectory"/>, then
    /// <c>HANLIN_DATA</c>, then <c>~/.hanlin</c>, and created on first use), <see cref="IBlobStore"/>
    /// (<see cref="FileBlobStore"/>) and <see cref="IKnowledgeStore"/> (<see cref="SqliteKnowledgeStore"/>) as
    /// singletons. The host must await <see cref="IKnowledgeStore.InitializeAsync"/> once before serving.
    /// </summary>
    public static IServiceCollection AddHanlinStorage(this IServiceCollection services, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(_ => HanlinDataDirectory.Open(dataDirectory));
        services.TryAddSingleton<FileBlobStore>();
        services.TryAddSingleton<IBlobStore>(sp => sp.GetRequiredService<FileBlobStore>());
        services.TryAddSingleton<SqliteKnowledgeStore>();
        services.TryAddSingleton<IKnowledgeStore>(sp => sp.GetRequiredService<SqliteKnowledgeStore>());
        return services;
    }
}
