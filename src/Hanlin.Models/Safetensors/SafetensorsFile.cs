using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Models.Runtime;
using static TorchSharp.torch;

namespace Hanlin.Models.Safetensors;

/// <summary>
/// A memory-mapped <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header mapping
/// names to dtype/shape/byte ranges, then the raw tensor bytes. Every range is checked against its dtype,
/// shape and the file size when the file is opened, so a lying header fails before any tensor is read.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024; // the format's own limit
    private const long ChunkElements = 1L << 22; // 16 MiB of fp32 per copy: bounds staging memory and Span lengths
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _dataStart;

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long dataStart, Dictionary<string, SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        _map = map;
        _view = view;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>The file this was opened from.</summary>
    public string Path { get; }

    /// <summary>Tensors by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    /// <summary>The optional <c>__metadata__</c> string map.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="HanlinException">Missing (<c>file_not_found</c>), malformed or inconsistent (<c>corrupt_file</c>), or an unsupported dtype (<c>unsupported_model</c>).</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"Safetensors file '{path}' does not exist.");
        }

        var length = new FileInfo(path).Length;
        if (length < 8)
        {
            throw Corrupt(path, $"it has {length} bytes, fewer than the 8-byte header length");
        }

        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            var headerLength = view.ReadInt64(0);
            if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > length - 8)
            {
                throw Corrupt(path, $"its header claims {headerLength} bytes but the file has {length}");
            }

            var header = new byte[headerLength];
            view.ReadArray(8, header, 0, header.Length);
            var dataStart = 8 + headerLength;
            var (entries, metadata) = ParseHeader(header, path, length - dataStart);
            var file = new SafetensorsFile(path, map, view, dataStart, entries, metadata);
            view = null;
            return file;
        }
        catch
        {
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>Reads tensor <paramref name="name"/> converted to fp32; the caller owns the tensor (it joins the current dispose scope, if any).</summary>
    public Tensor ReadFp32(string name)
    {
        TorchRuntime.EnsureLoaded();
        if (!Entries.TryGetValue(name, out var entry))
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"Safetensors file '{Path}' has no tensor named '{name}'.");
        }

        var raw = new byte[entry.End - entry.Begin];
        _view.ReadArray(_dataStart + entry.Begin, raw, 0, raw.Length);
        var values = new float[entry.ElementCount];
        switch (entry.DType)
        {
            case "F32":
                MemoryMarshal.Cast<byte, float>(raw).CopyTo(values);
                break;
            case "BF16":
                var bf16 = MemoryMarshal.Cast<byte, ushort>(raw);
                for (var i = 0; i < values.Length; i++)
                {
                    // bfloat16 is the top half of an IEEE float32.
                    values[i] = BitConverter.Int32BitsToSingle(bf16[i] << 16);
                }

                break;
            default: // F16, validated at open
                var f16 = MemoryMarshal.Cast<byte, Half>(raw);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)f16[i];
                }

                break;
        }

        return tensor(values, [.. entry.Shape]);
    }

    /// <summary>
    /// Reads tensor <paramref name="name"/> as <paramref name="dtype"/> (fp32 or bf16): a stored type equal to
    /// <paramref name="dtype"/> is copied once from the mapped file into the tensor; others are converted chunk by
    /// chunk (round to nearest even, as torch does), so no whole second copy exists. The caller owns the tensor
    /// (it joins the current dispose scope, if any).
    /// </summary>
    /// <exception cref="HanlinException">No tensor of that name (<c>corrupt_file</c>).</exception>
    public Tensor Read(string name, ScalarType dtype)
    {
        TorchRuntime.EnsureLoaded();
        if (!Entries.TryGetValue(name, out var entry))
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"Safetensors file '{Path}' has no tensor named '{name}'.");
        }

        var stored = entry.DType switch
        {
            "F32" => ScalarType.Float32,
            "BF16" => ScalarType.BFloat16,
            _ => ScalarType.Float16,
        };
        var elementSize = stored == ScalarType.Float32 ? 4 : 2;
        var result = empty([.. entry.Shape], dtype: dtype);
        try
        {
            using var flat = result.view(-1);
            var handle = _view.SafeMemoryMappedViewHandle;
            var source = (ulong)(_view.PointerOffset + _dataStart + entry.Begin);
            for (long start = 0; start < entry.ElementCount; start += ChunkElements)
            {
                var count = Math.Min(ChunkElements, entry.ElementCount - start);
                using var target = flat.narrow(0, start, count);
                var offset = source + (ulong)(start * elementSize);
                if (stored == dtype)
                {
                    // Tensor.bytes of a contiguous CPU tensor spans its native storage: the file's bytes land in place.
                    handle.ReadSpan(offset, target.bytes);
                }
                else
                {
                    using var staging = empty(count, dtype: stored);
                    handle.ReadSpan(offset, staging.bytes);
                    target.copy_(staging);
                }
            }
        }
        catch
        {
            result.Dispose();
            throw;
        }

        return result;
    }

    public void Dispose()
    {
        _view.Dispose();
        _map.Dispose();
    }

    private static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(byte[] header, string path, long dataLength)
    {
        var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(header);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Corrupt(path, "its header is not a JSON object");
            }

            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var item in property.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.GetString() ?? string.Empty;
                    }

                    continue;
                }

                var dtype = property.Value.GetProperty("dtype").GetString() ?? string.Empty;
                var shape = property.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var elementSize = dtype switch
                {
                    "F32" => 4,
                    "F16" or "BF16" => 2,
                    _ => throw new HanlinException(ErrorCodes.UnsupportedModel, $"Safetensors file '{path}' stores tensor '{property.Name}' as {dtype}; only F32, F16 and BF16 are supported."),
                };
                if (offsets.Length != 2 || shape.Any(d => d < 0))
                {
                    throw Corrupt(path, $"tensor '{property.Name}' has a malformed shape or data_offsets");
                }

                var entry = new SafetensorsEntry(property.Name, dtype, shape, offsets[0], offsets[1]);
                var expected = checked(entry.ElementCount * elementSize);
                if (entry.Begin < 0 || entry.End < entry.Begin || entry.End > dataLength || entry.End - entry.Begin != expected)
                {
                    throw Corrupt(path, $"tensor '{property.Name}' ({dtype} [{string.Join(", ", shape)}], {expected} bytes) claims bytes {entry.Begin}..{entry.End} of a {dataLength}-byte data section");
                }

                entries.Add(property.Name, entry);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or OverflowException)
        {
            throw Corrupt(path, "its JSON header is malformed (" + ex.Message + ")", ex);
        }

        return (entries, metadata);
    }

    private static HanlinException Corrupt(string path, string problem, Exception? inner = null) =>
        new(ErrorCodes.CorruptFile, $"Safetensors file '{path}' is not valid: {problem}.", inner);
}
