using System.CommandLine;
using Spectre.Console;

namespace Hanlin.Cli;

/// <summary>What a command handler needs from the invocation: the console, output mode and data directory.</summary>
internal sealed record CliContext(IAnsiConsole Console, bool Json, string? DataDirectory)
{
    public static CliContext From(ParseResult parseResult, IAnsiConsole console) =>
        new(console, parseResult.GetValue(CliGlobalOptions.Json), parseResult.GetValue(CliGlobalOptions.Data));

    /// <summary>Progress bars only make sense for a person at a terminal.</summary>
    public bool Interactive => !Json && Console.Profile.Capabilities.Interactive;
}
