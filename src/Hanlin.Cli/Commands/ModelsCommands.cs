using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Hanlin.Cli.Output;
using Hanlin.Core.Errors;
using Hanlin.Storage;
using Hanlin.Training.Registry;
using Spectre.Console;

namespace Hanlin.Cli.Commands;

/// <summary><c>hanlin models list|show|verify|promote|rollback|register|merge</c>: the model registry of the data directory.</summary>
internal static class ModelsCommands
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("models", "The model registry: base models, adapters and merged models with versions, lineage and file checksums.");
        command.Subcommands.Add(ListCommand(console));
        command.Subcommands.Add(ShowCommand(console));
        command.Subcommands.Add(VerifyCommand(console));
        command.Subcommands.Add(PromoteCommand(console));
        command.Subcommands.Add(RollbackCommand(console));
        command.Subcommands.Add(RegisterCommand(console));
        command.Subcommands.Add(MergeCommand(console));
        return command;
    }

    private static ModelRegistry Registry(CliContext context) => ModelRegistry.ForDataDirectory(HanlinDataDirectory.Resolve(context.DataDirectory).Root);

    private static Command ListCommand(IAnsiConsole console)
    {
        var name = new Option<string?>("--name", "-n") { Description = "Only the versions of this name." };
        var command = new Command("list", "List registered model versions.") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var models = await Registry(context).ListAsync(parseResult.GetValue(name), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, new { models = models.Select(TrainingViews.Of) });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Name", "Version", "Kind", "Status", "Id", "Files", "Bytes", "Created");
            foreach (var m in models)
            {
                table.AddRow(Markup.Escape(m.Name), m.Version.ToString(CultureInfo.InvariantCulture), Snake(m.Kind), Snake(m.Status), m.Id,
                    m.Files.Count.ToString(CultureInfo.InvariantCulture), m.SizeBytes.ToString("N0", CultureInfo.InvariantCulture), m.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ShowCommand(IAnsiConsole console)
    {
        var (model, version) = Target();
        var command = new Command("show", "Show a model version with its lineage, hyperparameters, metrics and file checksums.") { model, version };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var entry = await Registry(context).GetAsync(parseResult.GetValue(model)!, parseResult.GetValue(version), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(console, TrainingViews.Of(entry));
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Id", entry.Id);
            grid.AddRow("Name", $"{Markup.Escape(entry.Name)} v{entry.Version}");
            grid.AddRow("Kind", Snake(entry.Kind));
            grid.AddRow("Status", Snake(entry.Status));
            grid.AddRow("Directory", Markup.Escape(entry.Directory));
            grid.AddRow("Base model", entry.BaseModelId ?? "-");
            grid.AddRow("Dataset sha256", entry.DatasetSha256 ?? "-");
            grid.AddRow("Hyperparameters", Markup.Escape(entry.HyperparametersJson ?? "-"));
            grid.AddRow("Metrics", Markup.Escape(entry.MetricsJson ?? "-"));
            grid.AddRow("Job", entry.JobId ?? "-");
            grid.AddRow("Created", entry.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            console.Write(grid);
            var files = new Table().AddColumns("File", "Bytes", "sha256");
            foreach (var f in entry.Files)
            {
                files.AddRow(Markup.Escape(f.Path), f.SizeBytes.ToString("N0", CultureInfo.InvariantCulture), f.Sha256);
            }

            console.Write(files);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command VerifyCommand(IAnsiConsole console)
    {
        var (model, version) = Target();
        var command = new Command("verify", "Re-hash every file and report changed, missing and extra files (exit 3 when any).") { model, version };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var verification = await Registry(context).VerifyAsync(parseResult.GetValue(model)!, parseResult.GetValue(version), cancellationToken).ConfigureAwait(false);
            var entry = verification.Model;
            var exit = verification.IsIntact ? ExitCodes.Success : ExitCodes.Failure;
            if (context.Json)
            {
                JsonOutput.Write(console, new { id = entry.Id, name = entry.Name, version = entry.Version, intact = verification.IsIntact, files = entry.Files.Count, problems = verification.Problems.Select(TrainingViews.Of) });
                return exit;
            }

            if (verification.IsIntact)
            {
                console.MarkupLine($"[green]intact[/]: {Markup.Escape(entry.Name)} v{entry.Version} ({entry.Id}), {entry.Files.Count} files match their checksums.");
                return exit;
            }

            var table = new Table().AddColumns("File", "Problem", "Detail");
            foreach (var p in verification.Problems)
            {
                table.AddRow(Markup.Escape(p.Path), Snake(p.Kind), Markup.Escape(p.ToString()));
            }

            console.Write(table);
            console.MarkupLine($"[red]damaged[/]: {Markup.Escape(entry.Name)} v{entry.Version} ({entry.Id}) has {verification.Problems.Count} file problem(s) and will not be loaded.");
            return exit;
        });
        return command;
    }

    private static Command PromoteCommand(IAnsiConsole console)
    {
        var (model, version) = Target();
        var command = new Command("promote", "Make a version the one served for its name (its files are verified first).") { model, version };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var entry = await Registry(context).PromoteAsync(parseResult.GetValue(model)!, parseResult.GetValue(version), cancellationToken).ConfigureAwait(false);
            return Report(console, context, entry, "Promoted");
        });
        return command;
    }

    private static Command RollbackCommand(IAnsiConsole console)
    {
        var name = new Argument<string>("name") { Description = "Model name." };
        var command = new Command("rollback", "Promote the previous version of a name and archive the current one.") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var entry = await Registry(context).RollbackAsync(parseResult.GetValue(name)!, cancellationToken).ConfigureAwait(false);
            return Report(console, context, entry, "Rolled back to");
        });
        return command;
    }

    private static Command RegisterCommand(IAnsiConsole console)
    {
        var directory = new Argument<string>("directory") { Description = "The model directory; every file in it is hashed." };
        var name = new Option<string>("--name", "-n") { Description = "Model name; the version is the next one of this name.", Required = true };
        var kind = new Option<ModelKind>("--kind") { Description = "basemodel, adapter or merged.", DefaultValueFactory = _ => ModelKind.Adapter };
        var baseModel = new Option<string?>("--base") { Description = "Registry id of the base model." };
        var dataset = new Option<string?>("--dataset") { Description = "The training dataset file; its sha256 is recorded." };
        var hyperparameters = new Option<string?>("--hyperparameters") { Description = "Hyperparameters as a JSON object." };
        var metrics = new Option<string?>("--metrics") { Description = "Metrics as a JSON object." };
        var job = new Option<string?>("--job") { Description = "The job that produced the model." };
        var command = new Command("register", "Register a model directory as the next version of a name.") { directory, name, kind, baseModel, dataset, hyperparameters, metrics, job };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var datasetPath = parseResult.GetValue(dataset);
            var entry = await Registry(context).RegisterAsync(
                new ModelRegistration
                {
                    Name = parseResult.GetValue(name)!,
                    Kind = parseResult.GetValue(kind),
                    Directory = parseResult.GetValue(directory)!,
                    BaseModelId = parseResult.GetValue(baseModel),
                    DatasetSha256 = datasetPath is null ? null : await HashFileAsync(datasetPath, cancellationToken).ConfigureAwait(false),
                    HyperparametersJson = parseResult.GetValue(hyperparameters),
                    MetricsJson = parseResult.GetValue(metrics),
                    JobId = parseResult.GetValue(job),
                },
                cancellationToken).ConfigureAwait(false);
            return Report(console, context, entry, "Registered");
        });
        return command;
    }

    private static Command MergeCommand(IAnsiConsole console)
    {
        var adapter = new Argument<string>("adapter") { Description = "Registered adapter: id (mdl_...) or name." };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the merged Hugging Face model (new or empty).", Required = true };
        var name = new Option<string?>("--name", "-n") { Description = "Registry name of the merged model (default: the adapter's name + '-merged')." };
        var command = new Command("merge", "Fold a registered LoRA adapter into its base and register the result as a Hugging Face model.") { adapter, output, name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = CliContext.From(parseResult, console);
            var entry = await AdapterMerger.MergeAsync(Registry(context), parseResult.GetValue(adapter)!, parseResult.GetValue(output)!, parseResult.GetValue(name), cancellationToken).ConfigureAwait(false);
            return Report(console, context, entry, "Merged and registered");
        });
        return command;
    }

    private static (Argument<string> Model, Option<int?> Version) Target() =>
        (new Argument<string>("model") { Description = "Model id (mdl_...) or name (its promoted version, else its newest)." },
         new Option<int?>("--version", "-v") { Description = "A specific version of the name." });

    private static int Report(IAnsiConsole console, CliContext context, ModelEntry entry, string verb)
    {
        if (context.Json)
        {
            JsonOutput.Write(console, TrainingViews.Of(entry));
        }
        else
        {
            console.MarkupLine($"{verb} [bold]{Markup.Escape(entry.Name)}[/] v{entry.Version} ({entry.Id}, {Snake(entry.Status)}, {entry.Files.Count} files).");
        }

        return ExitCodes.Success;
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"The dataset file '{path}' does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"The dataset file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    private static string Snake<TEnum>(TEnum value)
        where TEnum : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
