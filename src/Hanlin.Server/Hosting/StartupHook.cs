namespace Hanlin.Server.Hosting;

/// <summary>The <see cref="HanlinServerSettings.BeforeReady"/> step, handed to <see cref="StartupInitializer"/>.</summary>
internal sealed record StartupHook(Func<IServiceProvider, CancellationToken, Task>? BeforeReady);
