using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using Hanlin.Core.Errors;
using Hanlin.Models.Runtime;
using static TorchSharp.torch;

namespace Hanlin.Models.Gguf;

/// <summary>
/// A memory-mapped GGUF file (versions 2 and 3): header, typed metadata, tensor directory and tensor bytes.
/// Tensor data is read straight from the mapping (no copy until dequantisation), and every tensor's range,
/// alignment and size are checked against the file when it is opened, so a truncated or lying file fails here.
/// </summary>
/// <remarks>
/// Metadata values are boxed .NET values: <c>byte</c>, <c>sbyte</c>, <c>ushort</c>, <c>short</c>, <c>uint</c>,
/// <c>int</c>, <c>float</c>, <c>bool</c>, <c>string</c>, <c>ulong</c>, <c>long</c>, <c>double</c>, and for arrays
/// a .NET array of those (arrays of arrays as <c>object[]</c>).
/// </remarks>
public sealed unsafe class GgufFile : IDisposable
{
    /// <summary>Default tensor data alignment when <c>general.alignment</c> is absent.</summary>
    public const int DefaultAlignment = 32;

    private const uint Magic = 0x46554747; // "GGUF" little-endian
    private const int MaxDimensions = 4; // GGML_MAX_DIMS

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly Dictionary<string, GgufTensorInfo> _tensorsByName;
    private bool _disposed;

    private GgufFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* basePointer, long length)
    {
        Path = path;
        _map = map;
        _view = view;
        _base = basePointer;
        Length = length;
        var cursor = new GgufCursor(basePointer, length, path);
        if (length < 24 || cursor.ReadUInt32("magic") != Magic)
        {
            throw cursor.Corrupt("it does not start with the GGUF magic and a 24-byte header");
        }

        Version = (int)cursor.ReadUInt32("version");
        if (Version is not (2 or 3))
        {
            throw new HanlinException(ErrorCodes.UnsupportedModel, $"GGUF file '{path}' has version {Version}; only versions 2 and 3 are supported (a big-endian file also reads as an unknown version).");
        }

        // A tensor info needs at least 8 (name length) + 4 (dims) + 4 (type) + 8 (offset) bytes; a key-value pair 8 + 4.
        var tensorCount = cursor.ReadCount("tensor count", 24);
        var metadataCount = cursor.ReadCount("metadata count", 12);
        var metadata = new Dictionary<string, object>((int)metadataCount, StringComparer.Ordinal);
        for (var i = 0; i < metadataCount; i++)
        {
            var key = cursor.ReadString($"metadata key {i}");
            var type = (GgufValueType)cursor.ReadUInt32($"type of metadata '{key}'");
            if (!metadata.TryAdd(key, ReadValue(cursor, type, key, depth: 0)))
            {
                throw cursor.Corrupt($"metadata key '{key}' appears twice");
            }
        }

        Metadata = metadata;
        Alignment = DefaultAlignment;
        if (metadata.TryGetValue("general.alignment", out var alignmentValue))
        {
            Alignment = alignmentValue is uint a && a > 0 && (a & (a - 1)) == 0
                ? (int)a
                : throw cursor.Corrupt($"general.alignment is {alignmentValue}, not a power of two stored as uint32");
        }

        var infos = new List<GgufTensorInfo>((int)tensorCount);
        for (var i = 0; i < tensorCount; i++)
        {
            infos.Add(ReadTensorInfo(cursor, i));
        }

        DataOffset = (cursor.Position + Alignment - 1) / Alignment * Alignment;
        var dataLength = length - DataOffset;
        _tensorsByName = new Dictionary<string, GgufTensorInfo>(infos.Count, StringComparer.Ordinal);
        foreach (var info in infos)
        {
            if (info.Offset % Alignment != 0)
            {
                throw cursor.Corrupt($"tensor '{info.Name}' starts at data offset {info.Offset}, not a multiple of the alignment {Alignment}");
            }

            if (info.Offset > dataLength || info.ByteSize > dataLength - info.Offset)
            {
                throw cursor.Corrupt($"tensor '{info.Name}' ({info.Type} [{string.Join(", ", info.Dimensions)}], {info.ByteSize} bytes at data offset {info.Offset}) runs past the end of the file ({Math.Max(0, dataLength)} data bytes); the file is probably truncated");
            }

            if (!_tensorsByName.TryAdd(info.Name, info))
            {
                throw cursor.Corrupt($"tensor '{info.Name}' appears twice");
            }
        }

        Tensors = infos;
    }

    /// <summary>The file this was opened from.</summary>
    public string Path { get; }

    /// <summary>File size in bytes.</summary>
    public long Length { get; }

    /// <summary>Format version (2 or 3).</summary>
    public int Version { get; }

    /// <summary>Tensor data alignment in bytes (<c>general.alignment</c>, default 32).</summary>
    public int Alignment { get; }

    /// <summary>Byte offset of the tensor data section from the start of the file.</summary>
    public long DataOffset { get; }

    /// <summary>Metadata by key, in file order of insertion; value types are described on the class.</summary>
    public IReadOnlyDictionary<string, object> Metadata { get; }

    /// <summary>Tensors in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>Opens, maps and validates <paramref name="path"/>.</summary>
    /// <exception cref="HanlinException"><c>file_not_found</c>, <c>corrupt_file</c> (truncated, bad magic, lying counts or ranges), or <c>unsupported_model</c> (version or unknown tensor type).</exception>
    public static GgufFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"GGUF file '{path}' does not exist.");
        }

        var length = new FileInfo(path).Length;
        if (length < 24)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"GGUF file '{path}' is not valid: it has {length} bytes, fewer than the 24-byte header.");
        }

        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        var acquired = false;
        try
        {
            map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            acquired = true;
            return new GgufFile(path, map, view, pointer + view.PointerOffset, length);
        }
        catch (IOException ex)
        {
            Release(map, view, acquired);
            throw new HanlinException(ErrorCodes.UnreadableFile, $"GGUF file '{path}' could not be mapped: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            Release(map, view, acquired);
            throw new HanlinException(ErrorCodes.UnreadableFile, $"GGUF file '{path}' could not be mapped: {ex.Message}", ex);
        }
        catch
        {
            Release(map, view, acquired);
            throw;
        }
    }

    /// <summary>Whether the file has a tensor named <paramref name="name"/>.</summary>
    public bool TryGetTensor(string name, out GgufTensorInfo info) => _tensorsByName.TryGetValue(name, out info!);

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="HanlinException"><c>corrupt_file</c> when it is absent.</exception>
    public GgufTensorInfo GetTensor(string name) => _tensorsByName.TryGetValue(name, out var info)
        ? info
        : throw new HanlinException(ErrorCodes.CorruptFile, $"GGUF file '{Path}' has no tensor named '{name}'.");

    /// <summary>
    /// The stored bytes of <paramref name="tensor"/>, straight from the mapping. Valid only until this file is
    /// disposed. Tensors over 2 GiB must be read in slices with <see cref="GetTensorBytes(GgufTensorInfo, long, int)"/>.
    /// </summary>
    public ReadOnlySpan<byte> GetTensorBytes(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.ByteSize <= int.MaxValue
            ? GetTensorBytes(tensor, 0, (int)tensor.ByteSize)
            : throw new HanlinException(ErrorCodes.UnsupportedModel, $"GGUF tensor '{tensor.Name}' in '{Path}' has {tensor.ByteSize} bytes; read it in slices of at most 2 GiB.");
    }

    /// <summary>Bytes <paramref name="start"/>..<paramref name="start"/>+<paramref name="count"/> of <paramref name="tensor"/>, straight from the mapping.</summary>
    public ReadOnlySpan<byte> GetTensorBytes(GgufTensorInfo tensor, long start, int count)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_tensorsByName.TryGetValue(tensor.Name, out var own) || own != tensor)
        {
            throw new ArgumentException($"Tensor '{tensor.Name}' does not belong to GGUF file '{Path}'.", nameof(tensor));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, tensor.ByteSize, nameof(count));
        return new ReadOnlySpan<byte>(_base + DataOffset + tensor.Offset + start, count);
    }

    /// <summary>Converts <paramref name="tensor"/> to float32 into <paramref name="destination"/> (length = element count).</summary>
    /// <exception cref="HanlinException"><c>unsupported_model</c> when its type cannot be converted.</exception>
    public void DequantizeTo(GgufTensorInfo tensor, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (destination.Length != tensor.ElementCount)
        {
            throw new ArgumentException($"Tensor '{tensor.Name}' has {tensor.ElementCount} elements, the destination {destination.Length}.", nameof(destination));
        }

        if (!GgufDequantizer.CanDequantize(tensor.Type))
        {
            throw new HanlinException(ErrorCodes.UnsupportedModel, $"GGUF file '{Path}' stores tensor '{tensor.Name}' as {tensor.Type}, which cannot be converted to float32; supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q6_K.");
        }

        GgufDequantizer.Dequantize(tensor.Type, GetTensorBytes(tensor), destination);
    }

    /// <summary>The tensor named <paramref name="name"/> as a new float32 array in ggml element order.</summary>
    public float[] ReadFloat32(string name)
    {
        var tensor = GetTensor(name);
        var values = new float[tensor.ElementCount];
        DequantizeTo(tensor, values);
        return values;
    }

    /// <summary>
    /// The tensor named <paramref name="name"/> as a new fp32 TorchSharp tensor in PyTorch shape order (ggml's
    /// dimensions reversed). Values are dequantised straight from the mapping into the tensor's storage, so the
    /// weights are never copied twice. The caller owns the tensor (it joins the current dispose scope, if any).
    /// </summary>
    public Tensor ReadFp32(string name)
    {
        var info = GetTensor(name);
        TorchRuntime.EnsureLoaded();
        var result = empty(info.Shape, TorchSharp.torch.ScalarType.Float32);
        try
        {
            // Tensor.bytes is a span over the CPU tensor's own storage, not a copy.
            DequantizeTo(info, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(result.bytes));
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>True when the file at <paramref name="path"/> starts with the GGUF magic (whatever its extension).</summary>
    public static bool HasMagic(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual("GGUF"u8);
    }

    /// <summary>A string metadata value, or null when absent.</summary>
    /// <exception cref="HanlinException"><c>corrupt_file</c> when present with another type.</exception>
    public string? GetString(string key) => Get<string>(key);

    /// <summary>An integer metadata value of any integer type, or null when absent.</summary>
    /// <exception cref="HanlinException"><c>corrupt_file</c> when present and not an integer (or an unsigned value above <see cref="long.MaxValue"/>).</exception>
    public long? GetInteger(string key) => Metadata.TryGetValue(key, out var value)
        ? value switch
        {
            byte v => v,
            sbyte v => v,
            ushort v => v,
            short v => v,
            uint v => v,
            int v => v,
            ulong v when v <= long.MaxValue => (long)v,
            long v => v,
            _ => throw WrongType(key, value, "an integer"),
        }
        : null;

    /// <summary>A floating-point metadata value (float32 or float64), or null when absent.</summary>
    public double? GetFloat(string key) => Metadata.TryGetValue(key, out var value)
        ? value switch
        {
            float v => v,
            double v => v,
            _ => throw WrongType(key, value, "a float"),
        }
        : null;

    /// <summary>A boolean metadata value, or null when absent.</summary>
    public bool? GetBool(string key) => Metadata.TryGetValue(key, out var value) ? value as bool? ?? throw WrongType(key, value, "a bool") : null;

    /// <summary>An array metadata value of element type <typeparamref name="T"/>, or null when absent.</summary>
    public T[]? GetArray<T>(string key) => Get<T[]>(key);

    /// <summary>A metadata value of exactly type <typeparamref name="T"/>, or null when absent.</summary>
    public T? Get<T>(string key)
        where T : class => Metadata.TryGetValue(key, out var value) ? value as T ?? throw WrongType(key, value, typeof(T).Name) : null;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Release(_map, _view, acquired: true);
    }

    private static void Release(MemoryMappedFile? map, MemoryMappedViewAccessor? view, bool acquired)
    {
        if (acquired)
        {
            view?.SafeMemoryMappedViewHandle.ReleasePointer();
        }

        view?.Dispose();
        map?.Dispose();
    }

    private HanlinException WrongType(string key, object value, string expected) =>
        new(ErrorCodes.CorruptFile, $"GGUF file '{Path}' has metadata '{key}' of type {value.GetType().Name}, expected {expected}.");

    private static object ReadValue(GgufCursor cursor, GgufValueType type, string key, int depth) => type switch
    {
        GgufValueType.UInt8 => cursor.ReadByte(key),
        GgufValueType.Int8 => (sbyte)cursor.ReadByte(key),
        GgufValueType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(cursor.Take(2, key)),
        GgufValueType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(cursor.Take(2, key)),
        GgufValueType.UInt32 => cursor.ReadUInt32(key),
        GgufValueType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(cursor.Take(4, key)),
        GgufValueType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(cursor.Take(4, key)),
        GgufValueType.Bool => cursor.ReadByte(key) switch
        {
            0 => false,
            1 => true,
            var b => throw cursor.Corrupt($"metadata '{key}' is a bool stored as {b}"),
        },
        GgufValueType.String => cursor.ReadString(key),
        GgufValueType.UInt64 => cursor.ReadUInt64(key),
        GgufValueType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(cursor.Take(8, key)),
        GgufValueType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(cursor.Take(8, key)),
        GgufValueType.Array when depth == 0 => ReadArray(cursor, key),
        GgufValueType.Array => throw cursor.Corrupt($"metadata '{key}' nests arrays deeper than ggml writes"),
        _ => throw cursor.Corrupt($"metadata '{key}' has unknown value type {(int)type}"),
    };

    private static object ReadArray(GgufCursor cursor, string key)
    {
        var elementType = (GgufValueType)cursor.ReadUInt32($"element type of '{key}'");
        var minBytes = elementType switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 or GgufValueType.String => 8,
            GgufValueType.Array => 12,
            _ => throw cursor.Corrupt($"array '{key}' has unknown element type {(int)elementType}"),
        };
        var count = (int)Math.Min(int.MaxValue, cursor.ReadCount($"length of array '{key}'", minBytes));
        return elementType switch
        {
            GgufValueType.UInt8 => Fill<byte>(count, () => cursor.ReadByte(key)),
            GgufValueType.Int8 => Fill(count, () => (sbyte)cursor.ReadByte(key)),
            GgufValueType.UInt16 => Fill(count, () => BinaryPrimitives.ReadUInt16LittleEndian(cursor.Take(2, key))),
            GgufValueType.Int16 => Fill(count, () => BinaryPrimitives.ReadInt16LittleEndian(cursor.Take(2, key))),
            GgufValueType.UInt32 => Fill(count, () => cursor.ReadUInt32(key)),
            GgufValueType.Int32 => Fill(count, () => BinaryPrimitives.ReadInt32LittleEndian(cursor.Take(4, key))),
            GgufValueType.Float32 => Fill(count, () => BinaryPrimitives.ReadSingleLittleEndian(cursor.Take(4, key))),
            GgufValueType.Bool => Fill(count, () => (bool)ReadValue(cursor, GgufValueType.Bool, key, 1)),
            GgufValueType.String => Fill(count, () => cursor.ReadString(key)),
            GgufValueType.UInt64 => Fill(count, () => cursor.ReadUInt64(key)),
            GgufValueType.Int64 => Fill(count, () => BinaryPrimitives.ReadInt64LittleEndian(cursor.Take(8, key))),
            GgufValueType.Float64 => Fill(count, () => BinaryPrimitives.ReadDoubleLittleEndian(cursor.Take(8, key))),
            _ => Fill(count, () => ReadArray(cursor, key)),
        };
    }

    private static T[] Fill<T>(int count, Func<T> read)
    {
        var values = new T[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read();
        }

        return values;
    }

    private static GgufTensorInfo ReadTensorInfo(GgufCursor cursor, int index)
    {
        var name = cursor.ReadString($"name of tensor {index}");
        var dimensionCount = cursor.ReadUInt32($"dimension count of tensor '{name}'");
        if (dimensionCount is 0 or > MaxDimensions)
        {
            throw cursor.Corrupt($"tensor '{name}' has {dimensionCount} dimensions; ggml allows 1 to {MaxDimensions}");
        }

        var dimensions = new long[dimensionCount];
        var elements = 1L;
        for (var d = 0; d < dimensions.Length; d++)
        {
            var size = cursor.ReadUInt64($"dimension {d} of tensor '{name}'");
            elements = size <= int.MaxValue * 64UL ? elements * (long)size : -1;
            if (elements < 0 || elements > long.MaxValue / 64)
            {
                throw cursor.Corrupt($"tensor '{name}' has an implausible dimension {size}");
            }

            dimensions[d] = (long)size;
        }

        var typeTag = cursor.ReadUInt32($"type of tensor '{name}'");
        var type = (GgufTensorType)typeTag;
        if (!GgufDequantizer.TryGetLayout(type, out var blockElements, out var blockBytes))
        {
            throw new HanlinException(ErrorCodes.UnsupportedModel, $"GGUF file '{cursor.Path}' stores tensor '{name}' with unknown tensor type {typeTag}.");
        }

        if (dimensions[0] % blockElements != 0)
        {
            throw cursor.Corrupt($"tensor '{name}' has a row of {dimensions[0]} elements, not a whole number of {type} blocks of {blockElements}");
        }

        var offset = cursor.ReadUInt64($"data offset of tensor '{name}'");
        if (offset > long.MaxValue / 2)
        {
            throw cursor.Corrupt($"tensor '{name}' has an implausible data offset {offset}");
        }

        return new GgufTensorInfo(name, dimensions, type, (long)offset, elements / blockElements * blockBytes);
    }
}
