namespace Hanlin.Storage.Tests.Blobs;

/// <summary>A source that breaks after <c>failAfter</c> bytes, like a dropped upload.</summary>
internal sealed class FailingStream(byte[] content, int failAfter) : MemoryStream(content)
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Position >= failAfter
            ? throw new IOException("connection reset")
            : base.ReadAsync(buffer[..Math.Min(buffer.Length, 65536)], cancellationToken);
}
