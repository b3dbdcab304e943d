using System.Diagnostics;
using System.Text;

namespace Hanlin.Cli.Tests;

/// <summary>A real <c>hanlin</c> process killed with SIGKILL in the middle of an ingest.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task A_killed_ingest_leaves_only_whole_documents_and_running_it_again_completes_the_work()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        const int files = 80;
        var paragraph = new StringBuilder();
        for (var i = 0; i < files; i++)
        {
            // ~0.5 MB per file of distinct sentences, so every file takes real work.
            paragraph.Clear();
            paragraph.Append("# Report ").Append(i).Append("\n\n");
            for (var s = 0; paragraph.Length < 512 * 1024; s++)
            {
                paragraph.Append("Section ").Append(i).Append('.').Append(s).Append(" notes that dose ").Append((i * 7919 + s * 104729) % 100003)
                    .Append(" mg was reviewed on day ").Append(s).Append(" by reviewer ").Append((s * 31) % 97).Append(".\n\n");
            }

            dir.Write($"in/report-{i:D3}.md", paragraph.ToString());
        }

        var start = new ProcessStartInfo(DotnetHost(), [CliRunner.ExecutablePath(), "ingest", dir.File("in"), "-c", "kb", "--data", data, "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using (var process = Process.Start(start)!)
        {
            _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await StoredDocumentCountAsync(data) < 3 && DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            Assert.False(process.HasExited, "the ingest finished before it could be killed; the test corpus is too small for this machine");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        // Every stored document is whole: its chunk rows match its recorded chunk count.
        var (_, listed) = await CliRunner.RunJsonAsync("documents", "list", "--data", data);
        var stored = listed.GetProperty("documents").EnumerateArray().ToList();
        Assert.InRange(stored.Count, 3, files - 1);
        foreach (var document in stored)
        {
            var (_, chunks) = await CliRunner.RunJsonAsync("chunks", document.GetProperty("id").GetString()!, "--data", data);
            Assert.Equal(document.GetProperty("chunk_count").GetInt32(), chunks.GetProperty("chunks").GetArrayLength());
        }

        var (_, jobs) = await CliRunner.RunJsonAsync("jobs", "list", "--data", data);
        Assert.Equal("interrupted", jobs.GetProperty("jobs").EnumerateArray().Single().GetProperty("status").GetString());

        var (exit, rerun) = await CliRunner.RunJsonAsync("ingest", dir.File("in"), "-c", "kb", "--data", data);
        Assert.Equal(ExitCodes.Success, exit);
        var summary = rerun.GetProperty("summary");
        Assert.Equal(stored.Count, summary.GetProperty("unchanged").GetInt32());
        Assert.Equal(files - stored.Count, summary.GetProperty("ingested").GetInt32());
        var (_, after) = await CliRunner.RunJsonAsync("documents", "list", "--data", data);
        Assert.Equal(files, after.GetProperty("documents").GetArrayLength());
    }

    private static async Task<long> StoredDocumentCountAsync(string data)
    {
        var db = Path.Combine(data, "hanlin.db");
        if (!File.Exists(db))
        {
            return 0;
        }

        try
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM documents";
            return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // schema not created yet, or locked for a moment
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
