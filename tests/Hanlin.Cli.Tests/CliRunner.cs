using System.Text.Json;
using Spectre.Console;

namespace Hanlin.Cli.Tests;

/// <summary>Runs the real CLI in-process with a captured, non-interactive console.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunAsync(args, CancellationToken.None);

    public static async Task<(int ExitCode, string Output)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 240;
        var exit = await CliApplication.RunAsync(args, console, cancellationToken);
        return (exit, writer.ToString());
    }

    public static async Task<(int ExitCode, JsonElement Json)> RunJsonAsync(params string[] args)
    {
        var (exit, output) = await RunAsync([.. args, "--json"]);
        using var document = JsonDocument.Parse(output);
        return (exit, document.RootElement.Clone());
    }

    /// <summary>The built <c>hanlin.dll</c> beside this test assembly's build (same configuration).</summary>
    public static string ExecutablePath()
    {
        var testBin = AppContext.BaseDirectory;
        var relative = Path.GetRelativePath(Path.Combine(SharedData.RepositoryRoot, "tests", "Hanlin.Cli.Tests"), testBin);
        var path = Path.Combine(SharedData.RepositoryRoot, "src", "Hanlin.Cli", relative, "hanlin.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("hanlin.dll not built", path);
    }
}
