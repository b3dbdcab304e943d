using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Hanlin.Core.Errors;
using TorchSharp;

namespace Hanlin.Models.Runtime;

/// <summary>
/// Loads TorchSharp's native backend once per process, on every supported machine.
/// </summary>
/// <remarks>
/// The build already patches the output folder's <c>libLibTorchSharp.so</c> (build/TorchSharpNative.targets).
/// This is the safety net for outputs that were not built by this repository: when the regular load fails
/// and the system libstdc++ lacks <c>GLIBCXX_3.4.32</c>, a copy of the wrapper with that requirement marked
/// weak is written to a per-user cache and loaded by absolute path, after its libtorch dependencies.
/// TorchSharp then resolves <c>LibTorchSharp</c> by bare name, which glibc answers with the already-loaded
/// object of that SONAME, so the patched copy is the one every P/Invoke binds to.
/// </remarks>
public static class TorchRuntime
{
    private const string Wrapper = "libLibTorchSharp.so";
    private const string RequiredVersion = "GLIBCXX_3.4.32";
    private static readonly Lock Gate = new();
    private static bool _loaded;

    /// <summary>Ensures libtorch is loaded; cheap after the first call. Every model entry point calls it.</summary>
    /// <exception cref="HanlinException">The native backend cannot be loaded on this machine (<c>runtime_unavailable</c>).</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }

            PreferPassiveOpenMpWaiting();

            // torch's static constructor loads the backend and a failure there poisons the type for the
            // whole process, so the wrapper must be known loadable before TorchSharp is touched.
            if (OperatingSystem.IsLinux())
            {
                try
                {
                    PreloadWrapper();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or DllNotFoundException or BadImageFormatException)
                {
                    throw Unavailable(ex.Message);
                }
            }

            if (!TryInitialize(out var error))
            {
                throw Unavailable(error);
            }

            _loaded = true;
        }
    }

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY=PASSIVE</c> for libtorch's OpenMP runtime unless the user chose a policy.
    /// </summary>
    /// <remarks>
    /// libgomp's default spin-waiting is ruinous on small shared machines: measured on the 2-core project
    /// machine under load, a 386M-parameter bf16 model with 2 threads decoded 0.9 tokens/s spinning versus
    /// 7.5 passive (prompt 15 versus 98 tokens/s), burning 7x the CPU time. libgomp reads the variable when
    /// it loads, so it must be in the native environment (setenv, not Environment.SetEnvironmentVariable,
    /// which only changes .NET's copy) before libtorch is loaded.
    /// </remarks>
    private static void PreferPassiveOpenMpWaiting()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null)
        {
            return;
        }

        try
        {
            _ = SetEnvironment("OMP_WAIT_POLICY\0"u8.ToArray(), "PASSIVE\0"u8.ToArray(), 0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc without setenv (not glibc/musl) only loses the tuning, never the model.
        }
    }

    /// <summary>
    /// Returns the native heap's free pages to the operating system (glibc <c>malloc_trim</c>; a no-op elsewhere).
    /// </summary>
    /// <remarks>
    /// glibc raises its mmap threshold after the first large free, so later tensors up to 32 MB come from the heap
    /// and freed ones stay resident: building a bf16 model from fp32 temporaries left ~420 MB (half the weights)
    /// resident for the model's lifetime. Called once a model is built or converted, never per forward.
    /// </remarks>
    internal static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and other libcs have no malloc_trim; memory is then only less tidy.
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);

    // NUL-terminated UTF-8 byte arrays are blittable, so no unsafe code or string marshalling is involved.
    [DllImport("libc.so.6", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnvironment(byte[] name, byte[] value, int overwrite);

    private static bool TryInitialize(out string error)
    {
        // TorchSharp prints its load trace to stdout on failure; keep stdout clean for --json callers.
        var stdout = Console.Out;
        try
        {
            Console.SetOut(TextWriter.Null);
            torch.InitializeDeviceType(DeviceType.CPU);
            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            error = ex.Message;
            return false;
        }
        finally
        {
            Console.SetOut(stdout);
        }
    }

    private static bool SystemHasRequiredVersion()
    {
        var libstdcxx = ElfSymbolVersions.FindSystemLibStdCxx();
        return libstdcxx is not null && ElfSymbolVersions.ReadDefinedVersions(File.ReadAllBytes(libstdcxx)).Contains(RequiredVersion);
    }

    private static void PreloadWrapper()
    {
        var directories = NativeSearchDirectories().ToList();
        var original = directories.Select(d => Path.Combine(d, Wrapper)).FirstOrDefault(File.Exists);
        if (original is null || NativeLibrary.TryLoad(original, out _) || SystemHasRequiredVersion())
        {
            // Not found here (TorchSharp reports it), already loadable (patched by the build, or a new
            // enough libstdc++), or failing for a reason this fix does not address.
            return;
        }

        var bytes = File.ReadAllBytes(original);
        ElfSymbolVersions.MarkRequirementWeak(bytes, "libstdc++.so.6", RequiredVersion);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        var cacheDirectory = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "hanlin", "torchsharp", hash);
        Directory.CreateDirectory(cacheDirectory);
        var patched = Path.Combine(cacheDirectory, Wrapper);
        if (!File.Exists(patched))
        {
            var temporary = patched + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, patched, overwrite: true);
        }

        // The copy's $ORIGIN RUNPATH no longer points at libtorch, so load its NEEDED libraries first:
        // glibc then satisfies them by SONAME from the objects already in the process.
        foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            var path = directories.Select(d => Path.Combine(d, dependency)).FirstOrDefault(File.Exists);
            if (path is not null)
            {
                NativeLibrary.Load(path);
            }
        }

        NativeLibrary.Load(patched);
    }

    private static IEnumerable<string> NativeSearchDirectories()
    {
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
        {
            foreach (var directory in searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                yield return directory;
            }
        }

        yield return AppContext.BaseDirectory;
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        var torchSharpDirectory = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchSharpDirectory))
        {
            // NuGet cache layout: torchsharp/<version>/lib/<tfm>/TorchSharp.dll beside runtimes/<rid>/native.
            yield return Path.GetFullPath(Path.Combine(torchSharpDirectory, "..", "..", "runtimes", "linux-x64", "native"));
        }
    }

    private static HanlinException Unavailable(string detail) => new(
        ErrorCodes.RuntimeUnavailable,
        "The TorchSharp native backend (libtorch) could not be loaded on this machine: " + detail);
}
