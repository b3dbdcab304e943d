using System.Buffers.Binary;
using System.Text;
using Hanlin.Core.Errors;

namespace Hanlin.Models.Gguf;

/// <summary>
/// A bounds-checked little-endian reader over the mapped bytes of a GGUF file. Every read checks the remaining
/// length first, so a truncated or lying file ends in <c>corrupt_file</c>, never an access violation.
/// </summary>
internal sealed unsafe class GgufCursor(byte* start, long length, string path)
{
    public string Path => path;

    public long Position { get; set; }

    public long Remaining => length - Position;

    public ReadOnlySpan<byte> Take(long count, string what)
    {
        if (count < 0 || count > Remaining || count > int.MaxValue)
        {
            throw Corrupt($"{what} at byte {Position} needs {count} bytes but only {Remaining} remain");
        }

        var span = new ReadOnlySpan<byte>(start + Position, (int)count);
        Position += count;
        return span;
    }

    public byte ReadByte(string what) => Take(1, what)[0];

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    public long ReadCount(string what, long minBytesEach)
    {
        var value = ReadUInt64(what);
        // Each element needs at least minBytesEach bytes, so a count the rest of the file cannot hold is a lie.
        if (value > (ulong)Math.Max(0, Remaining) / (ulong)Math.Max(1, minBytesEach))
        {
            throw Corrupt($"{what} at byte {Position - 8} is {value}, more than the remaining {Remaining} bytes can hold");
        }

        return (long)value;
    }

    public string ReadString(string what)
    {
        var count = ReadCount(what + " length", 1);
        // Lenient like ggml: a stray invalid byte becomes U+FFFD rather than rejecting an otherwise usable file.
        return Encoding.UTF8.GetString(Take(count, what));
    }

    public HanlinException Corrupt(string problem, Exception? inner = null) =>
        new(ErrorCodes.CorruptFile, $"GGUF file '{path}' is not valid: {problem}.", inner);
}
