using System.Text;
using Hanlin.Models.Gguf;

namespace Hanlin.Models.Tests.Gguf;

/// <summary>Writes GGUF files for tests, following the format description in ggml's docs/gguf.md.</summary>
internal sealed class GgufWriter
{
    private readonly List<(string Key, GgufValueType Type, object Value)> _metadata = [];
    private readonly List<(string Name, long[] Dimensions, uint Type, byte[] Data, long? Offset)> _tensors = [];

    public int Version { get; init; } = 3;

    public GgufWriter Add(string key, GgufValueType type, object value)
    {
        _metadata.Add((key, type, value));
        return this;
    }

    /// <summary>An array value: <paramref name="values"/> are written as <paramref name="elementType"/>.</summary>
    public GgufWriter AddArray(string key, GgufValueType elementType, System.Collections.IEnumerable values) =>
        Add(key, GgufValueType.Array, (elementType, values.Cast<object>().ToArray()));

    /// <summary>A tensor; <paramref name="offset"/> overrides the computed data offset (to write lying files).</summary>
    public GgufWriter AddTensor(string name, long[] dimensions, GgufTensorType type, byte[] data, long? offset = null) =>
        AddTensor(name, dimensions, (uint)type, data, offset);

    public GgufWriter AddTensor(string name, long[] dimensions, uint type, byte[] data, long? offset = null)
    {
        _tensors.Add((name, dimensions, type, data, offset));
        return this;
    }

    public byte[] ToBytes()
    {
        var alignment = _metadata.Where(m => m.Key == "general.alignment").Select(m => (int)(uint)m.Value).DefaultIfEmpty(GgufFile.DefaultAlignment).First();
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write("GGUF"u8);
        writer.Write((uint)Version);
        writer.Write((ulong)_tensors.Count);
        writer.Write((ulong)_metadata.Count);
        foreach (var (key, type, value) in _metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)type);
            WriteValue(writer, type, value);
        }

        var offsets = new List<long>();
        var next = 0L;
        foreach (var tensor in _tensors)
        {
            WriteString(writer, tensor.Name);
            writer.Write((uint)tensor.Dimensions.Length);
            foreach (var d in tensor.Dimensions)
            {
                writer.Write((ulong)d);
            }

            writer.Write(tensor.Type);
            var offset = tensor.Offset ?? next;
            writer.Write((ulong)offset);
            offsets.Add(offset);
            next = Align(offset + tensor.Data.Length, alignment);
        }

        Pad(writer, alignment);
        var dataStart = stream.Position;
        for (var i = 0; i < _tensors.Count; i++)
        {
            stream.Position = dataStart + offsets[i];
            writer.Write(_tensors[i].Data);
        }

        return stream.ToArray();
    }

    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    private static long Align(long value, int alignment) => (value + alignment - 1) / alignment * alignment;

    private static void Pad(BinaryWriter writer, int alignment)
    {
        while (writer.BaseStream.Position % alignment != 0)
        {
            writer.Write((byte)0);
        }
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteValue(BinaryWriter writer, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.UInt8: writer.Write(Convert.ToByte(value)); break;
            case GgufValueType.Int8: writer.Write(Convert.ToSByte(value)); break;
            case GgufValueType.UInt16: writer.Write(Convert.ToUInt16(value)); break;
            case GgufValueType.Int16: writer.Write(Convert.ToInt16(value)); break;
            case GgufValueType.UInt32: writer.Write(Convert.ToUInt32(value)); break;
            case GgufValueType.Int32: writer.Write(Convert.ToInt32(value)); break;
            case GgufValueType.Float32: writer.Write(Convert.ToSingle(value)); break;
            case GgufValueType.Bool: writer.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufValueType.String: WriteString(writer, (string)value); break;
            case GgufValueType.UInt64: writer.Write(Convert.ToUInt64(value)); break;
            case GgufValueType.Int64: writer.Write(Convert.ToInt64(value)); break;
            case GgufValueType.Float64: writer.Write(Convert.ToDouble(value)); break;
            case GgufValueType.Array:
                var (elementType, items) = ((GgufValueType, object[]))value;
                writer.Write((uint)elementType);
                writer.Write((ulong)items.Length);
                foreach (var item in items)
                {
                    WriteValue(writer, elementType, item);
                }

                break;
            default: throw new ArgumentOutOfRangeException(nameof(type));
        }
    }
}
