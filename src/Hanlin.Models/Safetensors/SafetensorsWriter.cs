using System.Text;
using System.Text.Json;
using Hanlin.Core.Errors;
using static TorchSharp.torch;

namespace Hanlin.Models.Safetensors;

/// <summary>
/// Writes <c>.safetensors</c> files that <see cref="SafetensorsFile"/>, the Python <c>safetensors</c> package and
/// transformers/PEFT read: an 8-byte little-endian header length, a JSON header padded with spaces to a multiple of 8
/// bytes, then each tensor's little-endian bytes back to back. Hand-written because no .NET package writes the
/// format; the layout is small and fully specified. Tensors are laid out in ordinal name order and the header is
/// written without whitespace, so the same tensors always give the same bytes. The file is replaced atomically.
/// </summary>
public static class SafetensorsWriter
{
    private const long ChunkElements = 1L << 22; // bounds the staging copy per write and keeps Span lengths in int range

    /// <summary>Writes <paramref name="tensors"/> (F32, BF16 or F16; any device, any layout) to <paramref name="path"/>.</summary>
    /// <exception cref="HanlinException">
    /// <c>invalid_argument</c> for a duplicate name or an unsupported element type; <c>unreadable_file</c> when the file cannot be written.
    /// </exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!BitConverter.IsLittleEndian)
        {
            throw new HanlinException(ErrorCodes.Internal, "Safetensors files are little-endian; this machine is not.");
        }

        var ordered = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var duplicate = ordered.Zip(ordered.Skip(1)).FirstOrDefault(p => p.First.Key == p.Second.Key);
        if (duplicate.First.Key is not null)
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"Tensor name '{duplicate.First.Key}' appears twice in '{path}'.");
        }

        var header = Header(path, ordered, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BitConverter.TryWriteBytes(length, (long)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (_, tensor) in ordered)
            {
                WriteData(stream, tensor);
            }
        });
    }

    private static byte[] Header(string path, List<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                var (dtype, size) = tensor.dtype switch
                {
                    ScalarType.Float32 => ("F32", 4),
                    ScalarType.BFloat16 => ("BF16", 2),
                    ScalarType.Float16 => ("F16", 2),
                    _ => throw new HanlinException(ErrorCodes.InvalidArgument, $"Tensor '{name}' for '{path}' is {tensor.dtype}; only Float32, BFloat16 and Float16 are written."),
                };
                var bytes = tensor.numel() * size;
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (var dimension in tensor.shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        // The data section starts 8-byte aligned, as the Python writer guarantees, so readers may map tensors in place.
        var text = buffer.ToArray();
        var padded = (text.Length + 7) / 8 * 8;
        return [.. text, .. Encoding.ASCII.GetBytes(new string(' ', padded - text.Length))];
    }

    private static void WriteData(Stream stream, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous().view(-1);
        var count = flat.numel();
        for (long start = 0; start < count; start += ChunkElements)
        {
            using var chunk = flat.narrow(0, start, Math.Min(ChunkElements, count - start)).contiguous();
            stream.Write(chunk.bytes);
        }
    }
}
