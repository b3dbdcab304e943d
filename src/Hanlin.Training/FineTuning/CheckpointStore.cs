using System.Globalization;
using System.Text.Json;
using Hanlin.Core.Errors;

namespace Hanlin.Training.FineTuning;

/// <summary>
/// The checkpoints of a run under <c>checkpoints/step-NNNNNNNN/</c>: <c>state.json</c>, <c>weights.bin</c> (trainable
/// tensors by name), <c>optimizer.bin</c> (moments, master weights, step count) and <c>rng.bin</c> (generator state).
/// </summary>
/// <remarks>
/// A checkpoint is written into a hidden temporary directory and renamed into place only when every file is complete
/// and flushed to disk, so a crash or a full disk mid-write leaves the previous checkpoints as they were and never a
/// half checkpoint under a <c>step-</c> name. Leftover temporary directories are removed when the store opens.
/// </remarks>
public sealed class CheckpointStore
{
    /// <summary>The state file of a checkpoint.</summary>
    public const string StateFile = "state.json";

    /// <summary>The trainable weights of a checkpoint.</summary>
    public const string WeightsFile = "weights.bin";

    /// <summary>The optimiser state of a checkpoint.</summary>
    public const string OptimizerFile = "optimizer.bin";

    /// <summary>The generator state of a checkpoint.</summary>
    public const string RngFile = "rng.bin";

    private const string Prefix = "step-";
    private const string TemporaryPrefix = ".tmp-";
    private readonly Func<string, Stream> _createFile;

    /// <summary>Opens the checkpoints of the run directory <paramref name="runDirectory"/>.</summary>
    public CheckpointStore(string runDirectory)
        : this(runDirectory, path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
    {
    }

    /// <summary>Opens the store with the given way of creating files (tests inject a failing disk through it).</summary>
    internal CheckpointStore(string runDirectory, Func<string, Stream> createFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        Directory = Path.Combine(runDirectory, "checkpoints");
        _createFile = createFile;
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var stale in System.IO.Directory.EnumerateDirectories(Directory, TemporaryPrefix + "*"))
        {
            TryDelete(stale);
        }
    }

    /// <summary>The folder holding the checkpoints.</summary>
    public string Directory { get; }

    /// <summary>The directory of the checkpoint of <paramref name="step"/>.</summary>
    public string PathOf(int step) => Path.Combine(Directory, Prefix + step.ToString("D8", CultureInfo.InvariantCulture));

    /// <summary>Steps that have a complete checkpoint, ascending.</summary>
    public IReadOnlyList<int> Steps() =>
        [.. System.IO.Directory.EnumerateDirectories(Directory, Prefix + "*")
            .Select(dir => (Dir: dir, Name: Path.GetFileName(dir)))
            .Where(d => File.Exists(Path.Combine(d.Dir, StateFile))
                && int.TryParse(d.Name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(d => int.Parse(d.Name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture))
            .Order()];

    /// <summary>The newest complete checkpoint's step, or null when there is none.</summary>
    public int? Latest => Steps() is [.., var last] ? last : null;

    /// <summary>Reads the state of the checkpoint of <paramref name="step"/>.</summary>
    /// <exception cref="HanlinException"><see cref="ErrorCodes.CorruptFile"/> when the state cannot be read.</exception>
    public CheckpointState ReadState(int step)
    {
        var path = Path.Combine(PathOf(step), StateFile);
        try
        {
            return JsonSerializer.Deserialize<CheckpointState>(File.ReadAllBytes(path))
                ?? throw new HanlinException(ErrorCodes.CorruptFile, $"Checkpoint state '{path}' is empty.");
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"Checkpoint state '{path}' cannot be read: {exception.Message}", exception);
        }
    }

    /// <summary>Opens one binary file of a checkpoint for reading.</summary>
    public BinaryReader OpenRead(int step, string file) => new(File.OpenRead(Path.Combine(PathOf(step), file)));

    /// <summary>
    /// Writes the checkpoint of <paramref name="state"/>'s step atomically, replacing one of the same step.
    /// </summary>
    /// <param name="state">The run's position.</param>
    /// <param name="writeWeights">Writes <see cref="WeightsFile"/>.</param>
    /// <param name="writeOptimizer">Writes <see cref="OptimizerFile"/>.</param>
    /// <param name="writeRng">Writes <see cref="RngFile"/>.</param>
    /// <returns>The checkpoint's directory.</returns>
    /// <exception cref="HanlinException"><see cref="ErrorCodes.CheckpointFailed"/> when the disk refuses; earlier checkpoints are untouched.</exception>
    public string Write(CheckpointState state, Action<BinaryWriter> writeWeights, Action<BinaryWriter> writeOptimizer, Action<BinaryWriter> writeRng)
    {
        ArgumentNullException.ThrowIfNull(state);
        var final = PathOf(state.GlobalStep);
        var temporary = Path.Combine(Directory, TemporaryPrefix + Path.GetFileName(final) + "-" + Guid.NewGuid().ToString("N"));
        try
        {
            System.IO.Directory.CreateDirectory(temporary);
            WriteFile(Path.Combine(temporary, WeightsFile), writeWeights);
            WriteFile(Path.Combine(temporary, OptimizerFile), writeOptimizer);
            WriteFile(Path.Combine(temporary, RngFile), writeRng);

            // state.json last: a directory with it is complete by construction.
            WriteFile(Path.Combine(temporary, StateFile), writer => writer.Write(JsonSerializer.SerializeToUtf8Bytes(state)));
            if (System.IO.Directory.Exists(final))
            {
                var replaced = Path.Combine(Directory, TemporaryPrefix + "old-" + Guid.NewGuid().ToString("N"));
                System.IO.Directory.Move(final, replaced);
                System.IO.Directory.Move(temporary, final);
                TryDelete(replaced);
            }
            else
            {
                System.IO.Directory.Move(temporary, final);
            }

            return final;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            var previous = Latest is { } step ? $"the previous checkpoint '{PathOf(step)}' is intact" : "no earlier checkpoint exists";
            throw new HanlinException(
                ErrorCodes.CheckpointFailed,
                $"The checkpoint of step {state.GlobalStep} could not be written to '{Directory}' ({exception.Message}); {previous}.",
                exception);
        }
    }

    /// <summary>Deletes all checkpoints but the newest <paramref name="keep"/> and the one of <paramref name="protectedStep"/>.</summary>
    public void Prune(int keep, int? protectedStep)
    {
        var steps = Steps();
        foreach (var step in steps.Take(Math.Max(0, steps.Count - keep)).Where(s => s != protectedStep))
        {
            TryDelete(PathOf(step));
        }
    }

    private void WriteFile(string path, Action<BinaryWriter> write)
    {
        using var stream = _createFile(path);
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        if (stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary directory is ignored and removed when the store next opens.
        }
    }
}
