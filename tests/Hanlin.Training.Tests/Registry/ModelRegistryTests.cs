using Hanlin.Core.Errors;
using Hanlin.Training.Registry;

namespace Hanlin.Training.Tests.Registry;

public sealed class ModelRegistryTests
{
    private static string WriteModel(TempDirectory dir, string name, string weights = "weights-v1")
    {
        dir.Write($"{name}/adapter_config.json", """{"r":8,"lora_alpha":16}""");
        dir.Write($"{name}/adapter_model.safetensors", System.Text.Encoding.UTF8.GetBytes(weights));
        dir.Write($"{name}/.hidden/notes.txt", "kept too");
        return dir.File(name);
    }

    private static ModelRegistration Adapter(string directory, string name = "pharma-lora") => new()
    {
        Name = name,
        Kind = ModelKind.Adapter,
        Directory = directory,
        DatasetSha256 = new string('a', 64),
        HyperparametersJson = """{"rank":8,"alpha":16,"learning_rate":0.0002}""",
        MetricsJson = """{"perplexity":7.5}""",
        JobId = "ftjob_1",
    };

    [Fact]
    public async Task Registering_records_every_file_with_its_sha256_and_size_and_numbers_versions_per_name()
    {
        using var dir = new TempDirectory();
        var registry = ModelRegistry.ForDataDirectory(dir.File("data"));
        var baseModel = await registry.RegisterAsync(new ModelRegistration { Name = "stories260K", Kind = ModelKind.BaseModel, Directory = WriteModel(dir, "base") });

        var first = await registry.RegisterAsync(Adapter(WriteModel(dir, "a1")) with { BaseModelId = baseModel.Id });
        var second = await registry.RegisterAsync(Adapter(WriteModel(dir, "a2", "weights-v2")));

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal(1, baseModel.Version);
        Assert.Equal([".hidden/notes.txt", "adapter_config.json", "adapter_model.safetensors"], first.Files.Select(f => f.Path));
        var weights = first.Files.Single(f => f.Path == "adapter_model.safetensors");
        Assert.Equal(10, weights.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("weights-v1"u8)), weights.Sha256);

        var reopened = new ModelRegistry(registry.DatabasePath);
        var shown = await reopened.GetAsync(first.Id);
        Assert.Equal(first, shown with { Files = first.Files });
        Assert.Equal(first.Files, shown.Files);
        Assert.Equal(baseModel.Id, shown.BaseModelId);
        Assert.Equal(3, (await reopened.ListAsync()).Count);
        Assert.Equal([1, 2], (await reopened.ListAsync("pharma-lora")).Select(m => m.Version));
    }

    [Fact]
    public async Task Verify_reports_changed_missing_and_extra_files()
    {
        using var dir = new TempDirectory();
        var registry = ModelRegistry.ForDataDirectory(dir.File("data"));
        var model = await registry.RegisterAsync(Adapter(WriteModel(dir, "a1")));
        Assert.True((await registry.VerifyAsync(model.Id)).IsIntact);

        dir.Write("a1/adapter_model.safetensors", System.Text.Encoding.UTF8.GetBytes("weights-v9")); // same size, other bytes
        File.Delete(dir.File("a1/adapter_config.json"));
        dir.Write("a1/sneaky.bin", "x");

        var verification = await registry.VerifyAsync("pharma-lora");

        Assert.False(verification.IsIntact);
        Assert.Equal(
            [
                ("adapter_config.json", ModelFileProblemKind.Missing),
                ("adapter_model.safetensors", ModelFileProblemKind.Mismatch),
                ("sneaky.bin", ModelFileProblemKind.Extra),
            ],
            verification.Problems.Select(p => (p.Path, p.Kind)));
    }

    [Fact]
    public async Task Resolving_a_tampered_model_for_loading_fails_with_a_stable_code_naming_the_file()
    {
        using var dir = new TempDirectory();
        var registry = ModelRegistry.ForDataDirectory(dir.File("data"));
        var model = await registry.RegisterAsync(Adapter(WriteModel(dir, "a1")));
        Assert.Equal(model.Id, (await registry.ResolveForLoadingAsync("pharma-lora")).Id);

        await File.AppendAllTextAsync(dir.File("a1/adapter_model.safetensors"), "!");

        var ex = await Assert.ThrowsAsync<HanlinException>(() => registry.ResolveForLoadingAsync(model.Id));
        Assert.Equal(ErrorCodes.ModelChecksumMismatch, ex.Code);
        Assert.Contains("adapter_model.safetensors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_one_version_per_name_is_promoted_and_rollback_returns_to_the_previous_one()
    {
        using var dir = new TempDirectory();
        var registry = ModelRegistry.ForDataDirectory(dir.File("data"));
        var v1 = await registry.RegisterAsync(Adapter(WriteModel(dir, "a1")));
        var v2 = await registry.RegisterAsync(Adapter(WriteModel(dir, "a2", "weights-v2")));
        var v3 = await registry.RegisterAsync(Adapter(WriteModel(dir, "a3", "weights-v3")));

        await registry.PromoteAsync("pharma-lora", 2);
        await registry.PromoteAsync(v3.Id);
        Assert.Equal(v3.Id, (await registry.ResolveForLoadingAsync("pharma-lora")).Id);
        Assert.Single(await registry.ListAsync("pharma-lora"), m => m.Status == ModelStatus.Promoted);

        var rolledBack = await registry.RollbackAsync("pharma-lora");

        Assert.Equal(v2.Id, rolledBack.Id);
        var statuses = (await registry.ListAsync("pharma-lora")).Select(m => m.Status);
        Assert.Equal([ModelStatus.Registered, ModelStatus.Promoted, ModelStatus.Archived], statuses);
        Assert.Equal(v2.Id, (await registry.ResolveForLoadingAsync("pharma-lora")).Id);
        Assert.Equal(v1.Id, (await registry.RollbackAsync("pharma-lora")).Id);
        var none = await Assert.ThrowsAsync<HanlinException>(() => registry.RollbackAsync("pharma-lora"));
        Assert.Equal(ErrorCodes.ModelNoPreviousVersion, none.Code);
    }

    [Fact]
    public async Task A_damaged_version_is_never_promoted()
    {
        using var dir = new TempDirectory();
        var registry = ModelRegistry.ForDataDirectory(dir.File("data"));
        var model = await registry.RegisterAsync(Adapter(WriteModel(dir, "a1")));
        File.Delete(dir.File("a1/adapter_config.json"));

        var ex = await Assert.ThrowsAsync<HanlinException>(() => registry.PromoteAsync(model.Id));

        Assert.Equal(ErrorCodes.ModelChecksumMismatch, ex.Code);
        Assert.Equal(ModelStatus.Registered, (await registry.GetAsync(model.Id)).Status);
    }

    [Fact]
    public async Task Unknown_models_bad_directories_and_bad_metadata_are_refused_with_stable_codes()
    {
        using var dir = new TempDirectory();
        var registry = ModelRegistry.ForDataDirectory(dir.File("data"));
        Directory.CreateDirectory(dir.File("empty"));

        Assert.Equal(ErrorCodes.ModelNotFound, (await Assert.ThrowsAsync<HanlinException>(() => registry.GetAsync("nothing"))).Code);
        Assert.Equal(ErrorCodes.ModelNotFound, (await Assert.ThrowsAsync<HanlinException>(() => registry.ResolveForLoadingAsync("mdl_0000"))).Code);
        Assert.Equal(ErrorCodes.FileNotFound, (await Assert.ThrowsAsync<HanlinException>(() => registry.RegisterAsync(Adapter(dir.File("missing"))))).Code);
        Assert.Equal(ErrorCodes.FileNotFound, (await Assert.ThrowsAsync<HanlinException>(() => registry.RegisterAsync(Adapter(dir.File("empty"))))).Code);
        var model = WriteModel(dir, "a1");
        Assert.Equal(ErrorCodes.InvalidArgument, (await Assert.ThrowsAsync<HanlinException>(() => registry.RegisterAsync(Adapter(model) with { HyperparametersJson = "{rank" }))).Code);
        Assert.Equal(ErrorCodes.InvalidArgument, (await Assert.ThrowsAsync<HanlinException>(() => registry.RegisterAsync(Adapter(model, "bad name")))).Code);
        Assert.Equal(ErrorCodes.ModelNotFound, (await Assert.ThrowsAsync<HanlinException>(() => registry.RegisterAsync(Adapter(model) with { BaseModelId = "mdl_missing" }))).Code);
    }
}
