using Hanlin.Training.Datasets;
using Hanlin.Training.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Hanlin.Training.Tests;

public sealed class TrainingServiceCollectionExtensionsTests
{
    [Fact]
    public void The_registry_lives_in_the_given_data_directory_and_the_token_counter_is_cl100k()
    {
        using var dir = new TempDirectory();
        using var provider = new ServiceCollection().AddHanlinTraining(_ => dir.Path).BuildServiceProvider(validateScopes: true);

        Assert.Equal(Path.Combine(dir.Path, ModelRegistry.FileName), provider.GetRequiredService<ModelRegistry>().DatabasePath);
        Assert.Equal(2, provider.GetRequiredService<ITokenCounter>().CountTokens("hello world"));
    }
}
