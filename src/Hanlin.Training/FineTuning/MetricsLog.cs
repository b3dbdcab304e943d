using System.Globalization;
using System.Text.Json;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// <c>metrics.jsonl</c> of a run: one JSON object per step or evaluation with exactly the fields
/// <c>step, epoch, train_loss, val_loss, lr, tokens_per_second, timestamp</c> (absent values written as null), read
/// back by the loss-curve reports.
/// </summary>
public sealed class MetricsLog
{
    /// <summary>The log's file name in the run directory.</summary>
    public const string FileName = "metrics.jsonl";

    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the log of the run directory <paramref name="runDirectory"/>.</summary>
    public MetricsLog(string runDirectory, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        Path = System.IO.Path.Combine(runDirectory, FileName);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Current length in bytes (0 when absent); saved with each checkpoint.</summary>
    public long Length => File.Exists(Path) ? new FileInfo(Path).Length : 0;

    /// <summary>Cuts the log back to <paramref name="length"/> bytes: events after a resumed checkpoint happen again.</summary>
    public void TruncateTo(long length)
    {
        using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.Write);
        if (stream.Length > length)
        {
            stream.SetLength(length);
        }
    }

    /// <summary>Appends one event.</summary>
    public void Append(int step, double epoch, double? trainLoss, double? validationLoss, double? learningRate, double? tokensPerSecond)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("step", step);
            json.WriteNumber("epoch", epoch);
            WriteNumberOrNull(json, "train_loss", trainLoss);
            WriteNumberOrNull(json, "val_loss", validationLoss);
            WriteNumberOrNull(json, "lr", learningRate);
            WriteNumberOrNull(json, "tokens_per_second", tokensPerSecond);
            json.WriteString("timestamp", _timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    // JSON has no NaN or Infinity; a non-finite value is written as null rather than breaking the line.
    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number && double.IsFinite(number))
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
