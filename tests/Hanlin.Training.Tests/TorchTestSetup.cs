using System.Runtime.CompilerServices;
using Hanlin.Models.Runtime;

namespace Hanlin.Training.Tests;

internal static class TorchTestSetup
{
    // The models under test are tiny and CI machines are small and shared: one libtorch thread per test avoids contention.
#pragma warning disable CA2255 // The test assembly is an executable, not a library.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UseOneThread()
    {
        try
        {
            TorchRuntime.EnsureLoaded();
            TorchSharp.torch.set_num_threads(1);
        }
        catch (Hanlin.Core.Errors.HanlinException)
        {
            // Left to the tests, which then fail with the runtime's own message.
        }
    }
}
