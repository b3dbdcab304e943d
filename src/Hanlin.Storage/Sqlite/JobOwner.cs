using System.Diagnostics;
using System.Globalization;

namespace Hanlin.Storage.Sqlite;

/// <summary>
/// Identifies the process that runs a job as <c>host/pid/start-ticks</c>. The start time guards against a
/// recycled pid. A job owned by another host is treated as dead: an SQLite data directory belongs to one
/// machine, so such a job comes from a copied directory and can never finish.
/// </summary>
internal static class JobOwner
{
    public static string Current { get; } = Describe();

    public static bool IsAlive(string owner)
    {
        var parts = owner.Split('/');
        if (parts.Length != 3
            || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var startTicks))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.StartTime.ToUniversalTime().Ticks == startTicks;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    private static string Describe()
    {
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{self.StartTime.ToUniversalTime().Ticks}");
    }
}
