namespace Hanlin.Training.Registry;

/// <summary>One difference between a model directory and its registered checksums.</summary>
/// <param name="Path">Path relative to the model directory, with <c>/</c> separators.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Expected">The registered checksum (null for an extra file).</param>
/// <param name="Actual">The file as found (null for a missing file).</param>
public sealed record ModelFileProblem(string Path, ModelFileProblemKind Kind, ModelFileChecksum? Expected, ModelFileChecksum? Actual)
{
    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ModelFileProblemKind.Missing => $"'{Path}' is missing",
        ModelFileProblemKind.Extra => $"'{Path}' was not registered",
        _ when Expected!.SizeBytes != Actual!.SizeBytes => $"'{Path}' has {Actual.SizeBytes} bytes, {Expected.SizeBytes} were registered",
        _ => $"'{Path}' has sha256 {Actual!.Sha256}, {Expected!.Sha256} was registered",
    };
}
