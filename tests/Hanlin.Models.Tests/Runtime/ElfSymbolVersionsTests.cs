using Hanlin.Models.Runtime;

namespace Hanlin.Models.Tests.Runtime;

public sealed class ElfSymbolVersionsTests
{
    [Fact]
    public void Marking_a_requirement_weak_sets_only_that_flag_and_is_idempotent()
    {
        var original = File.ReadAllBytes(NugetWrapperPath());
        var bytes = (byte[])original.Clone();
        Assert.Contains(ElfSymbolVersions.ReadRequirements(bytes), r => r is { Library: "libstdc++.so.6", Version: "GLIBCXX_3.4.32", Weak: false });

        Assert.Equal(ElfSymbolVersions.WeakRequirementOutcome.Patched, ElfSymbolVersions.MarkRequirementWeak(bytes, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        Assert.Equal(ElfSymbolVersions.WeakRequirementOutcome.AlreadyWeak, ElfSymbolVersions.MarkRequirementWeak(bytes, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        Assert.Equal(ElfSymbolVersions.WeakRequirementOutcome.NotRequired, ElfSymbolVersions.MarkRequirementWeak(bytes, "libstdc++.so.6", "GLIBCXX_9.9.9"));

        var changed = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] != original[i]).ToList();
        Assert.Single(changed);
        Assert.Contains(ElfSymbolVersions.ReadRequirements(bytes), r => r is { Library: "libstdc++.so.6", Version: "GLIBCXX_3.4.32", Weak: true });
        Assert.All(ElfSymbolVersions.ReadRequirements(bytes).Where(r => r.Version != "GLIBCXX_3.4.32"), r => Assert.False(r.Weak));
    }

    [Fact]
    public void A_file_that_is_not_elf_is_rejected()
    {
        Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.MarkRequirementWeak(new byte[128], "libstdc++.so.6", "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void A_truncated_elf_is_rejected()
    {
        var bytes = File.ReadAllBytes(NugetWrapperPath())[..4096];
        Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.MarkRequirementWeak(bytes, "libstdc++.so.6", "GLIBCXX_3.4.32"));
    }

    private static string NugetWrapperPath()
    {
        // The unpatched original as restored by NuGet; tests only read it.
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.SkipUnless(File.Exists(path), "the TorchSharp 0.107.0 package is not in the NuGet cache at " + path);
        return path;
    }
}
