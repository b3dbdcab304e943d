using Hanlin.Models.Runtime;
using static TorchSharp.torch;

namespace Hanlin.Models.Tests.Runtime;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void TorchSharp_loads_and_multiplies_matrices_exactly()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, 3, 2);

        var product = matmul(a, b).data<float>().ToArray();

        // [[1*7+2*9+3*11, 1*8+2*10+3*12], [4*7+5*9+6*11, 4*8+5*10+6*12]]
        Assert.Equal(new float[] { 58, 64, 139, 154 }, product);
    }

    [Fact]
    public void Autograd_computes_the_gradient_of_a_small_function()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, -2, 3 }, requires_grad: true);

        // f(x) = sum(x^3 + 2x) so df/dx = 3x^2 + 2.
        var f = (x.pow(3) + (2 * x)).sum();
        f.backward();

        Assert.Equal(new float[] { 5, 14, 29 }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void The_loaded_wrapper_has_no_hard_requirement_the_system_libstdcxx_lacks()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "ELF symbol versions only matter on Linux.");
        TorchRuntime.EnsureLoaded();
        var libstdcxx = ElfSymbolVersions.FindSystemLibStdCxx();
        Assert.NotNull(libstdcxx);
        var defined = ElfSymbolVersions.ReadDefinedVersions(File.ReadAllBytes(libstdcxx)).ToHashSet();

        var wrapper = File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var i and >= 0 ? line[i..].Trim() : null)
            .First(path => path is not null && path.EndsWith("libLibTorchSharp.so", StringComparison.Ordinal))!;
        var missing = ElfSymbolVersions.ReadRequirements(File.ReadAllBytes(wrapper))
            .Where(r => r.Library == "libstdc++.so.6" && !r.Weak && !defined.Contains(r.Version))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void The_build_weakens_the_output_copy_exactly_when_the_system_libstdcxx_is_too_old()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The build patch only runs on Linux.");
        var copy = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.SkipUnless(File.Exists(copy), "this output has no RID-specific native folder: " + copy);
        var libstdcxx = ElfSymbolVersions.FindSystemLibStdCxx();
        Assert.NotNull(libstdcxx);
        var systemHasIt = ElfSymbolVersions.ReadDefinedVersions(File.ReadAllBytes(libstdcxx)).Contains("GLIBCXX_3.4.32");

        var requirement = ElfSymbolVersions.ReadRequirements(File.ReadAllBytes(copy)).Single(r => r.Version == "GLIBCXX_3.4.32");

        Assert.Equal(!systemHasIt, requirement.Weak);
    }
}
