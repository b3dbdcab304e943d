namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// A read-only pass-through stream that charges every byte read to a <see cref="PartReadBudget"/>.
/// It wraps a forward-only inflating stream, so it is forward-only too: <see cref="CanSeek"/> is false and
/// Length/Position/Seek/SetLength throw <see cref="NotSupportedException"/> as the Stream contract requires.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, PartReadBudget budget) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        budget.Charge(read);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
