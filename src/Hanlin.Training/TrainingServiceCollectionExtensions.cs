using Hanlin.Training.Datasets;
using Hanlin.Training.Registry;

#pragma warning disable IDE0130 // Extension methods for IServiceCollection live in its namespace by convention.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the training services that need no model runtime.</summary>
public static class TrainingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the default <see cref="ITokenCounter"/> (cl100k_base, until the model's tokenizer replaces it) and the
    /// <see cref="ModelRegistry"/> in the data directory that <paramref name="dataDirectoryRoot"/> resolves; with storage
    /// registered that is <c>sp =&gt; sp.GetRequiredService&lt;HanlinDataDirectory&gt;().Root</c>.
    /// </summary>
    public static IServiceCollection AddHanlinTraining(this IServiceCollection services, Func<IServiceProvider, string> dataDirectoryRoot)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataDirectoryRoot);
        services.AddSingleton<ITokenCounter>(Cl100kTokenCounter.Instance);
        services.AddSingleton(sp => ModelRegistry.ForDataDirectory(dataDirectoryRoot(sp)));
        return services;
    }
}
