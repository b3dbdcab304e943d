using Hanlin.Models.Runtime;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestPipelineStartup(typeof(Hanlin.Testing.TorchTestSetup))]

namespace Hanlin.Testing;

/// <summary>
/// Loads libtorch once before the tests of a test project that computes with TorchSharp, on one thread: the models under
/// test are tiny and CI machines small and shared, so libtorch's default of one spinning thread per core only adds
/// contention. A pipeline start-up rather than a module initializer, because xunit's runner also starts the test process
/// only to ask for its assembly information; loading libtorch there slowed that process's exit enough for xunit 3.2.2 to
/// write a warning into the answer (xunit/xunit#3576) and fail the run.
/// </summary>
internal sealed class TorchTestSetup : ITestPipelineStartup
{
    public ValueTask StartAsync(IMessageSink diagnosticMessageSink)
    {
        try
        {
            TorchRuntime.EnsureLoaded();
            TorchSharp.torch.set_num_threads(1);
        }
        catch (Hanlin.Core.Errors.HanlinException)
        {
            // Left to the tests, which then fail with the runtime's own message (TorchRuntimeTests reports it).
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask StopAsync() => ValueTask.CompletedTask;
}
