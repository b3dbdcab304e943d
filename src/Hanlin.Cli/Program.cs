using Hanlin.Cli;

return await CliApplication.RunAsync(args).ConfigureAwait(false);
