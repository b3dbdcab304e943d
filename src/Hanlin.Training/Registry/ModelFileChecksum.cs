namespace Hanlin.Training.Registry;

/// <summary>One file of a registered model directory.</summary>
/// <param name="Path">Path relative to the model directory, with <c>/</c> separators.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the content.</param>
/// <param name="SizeBytes">Size in bytes.</param>
public sealed record ModelFileChecksum(string Path, string Sha256, long SizeBytes);
