using System.Runtime.CompilerServices;
using Hanlin.Models.Runtime;

namespace Hanlin.Models.Tests;

internal static class TorchTestSetup
{
    // The models under test are tiny and CI machines are small and shared: libtorch's default of one
    // spinning thread per core only adds contention, so tests compute on one thread.
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
            // Leave the failure to the tests: TorchRuntimeTests report it with its message, rather than
            // the whole assembly failing to load.
        }
    }
}
