using System.Runtime.InteropServices;
using Hanlin.Core.Errors;
using Hanlin.Models.Llama;
using static TorchSharp.torch;

namespace Hanlin.Models.Llama2c;

/// <summary>
/// Reads karpathy/llama2.c checkpoints: the legacy version 0 (7×int32 header, fp32 tensors), and the
/// <c>export.py</c> versions 1 (fp32) and 2 (Q8_0, dequantised here) that start with magic "ak42".
/// </summary>
internal static class Llama2cCheckpoint
{
    private const uint Magic = 0x616b3432; // "ak42" little-endian
    private const int ExportHeaderBytes = 256;

    public static LlamaModel Load(string path, IProgress<float>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new HanlinException(ErrorCodes.FileNotFound, $"Checkpoint '{path}' does not exist.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new HanlinException(ErrorCodes.UnreadableFile, $"Checkpoint '{path}' could not be read: {ex.Message}", ex);
        }

        if (bytes.Length < 28)
        {
            throw Corrupt(path, $"it has {bytes.Length} bytes, fewer than a header");
        }

        var reader = new Reader(bytes, path, progress, cancellationToken);
        try
        {
            var model = BitConverter.ToUInt32(bytes, 0) == Magic ? LoadExport(reader, path) : LoadLegacy(reader, path);
            progress?.Report(1f);
            return model;
        }
        catch
        {
            // A bad or cancelled load must not strand the tensors read so far: nothing else owns them yet.
            reader.DisposeTensors();
            throw;
        }
    }

    private static LlamaModel LoadLegacy(Reader reader, string path)
    {
        var header = reader.Int32s(7);
        // A negative vocab_size marks an unshared classifier stored after the RoPE tables.
        var config = new LlamaConfig(header[0], header[1], header[2], header[3], header[4], Math.Abs(header[5]), header[6])
        {
            TiedClassifier = header[5] > 0,
        };
        config.Validate(path);
        var (n, dim, kv, hidden, vocab) = (config.Layers, config.Dim, config.KvDim, config.HiddenDim, config.VocabSize);
        long expected = 28 + (4L * (((long)vocab * dim) + (n * ((2L * dim) + (2L * dim * dim) + (2L * kv * dim) + (3L * hidden * dim))) + dim
            + ((long)config.MaxSequenceLength * config.HeadDim) + (config.TiedClassifier ? 0 : (long)vocab * dim)));
        if (reader.Length != expected)
        {
            throw Corrupt(path, $"its header ({config}) implies {expected} bytes but the file has {reader.Length}");
        }

        var embedding = reader.Fp32(vocab, dim);
        var attentionNorm = reader.Fp32Layers(n, dim);
        var wq = reader.Fp32Layers(n, dim, dim);
        var wk = reader.Fp32Layers(n, kv, dim);
        var wv = reader.Fp32Layers(n, kv, dim);
        var wo = reader.Fp32Layers(n, dim, dim);
        var ffnNorm = reader.Fp32Layers(n, dim);
        var w1 = reader.Fp32Layers(n, hidden, dim);
        var w2 = reader.Fp32Layers(n, dim, hidden);
        var w3 = reader.Fp32Layers(n, hidden, dim);
        var finalNorm = reader.Fp32(dim);
        reader.Skip(4L * config.MaxSequenceLength * config.HeadDim); // freq_cis_real/imag: recomputed by RotaryEmbedding
        var classifier = config.TiedClassifier ? null : reader.Fp32(vocab, dim);
        return Build(config, path, embedding, attentionNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3, finalNorm, classifier);
    }

    private static LlamaModel LoadExport(Reader reader, string path)
    {
        // Header: uint32 magic, int32 version, 7×int32 params, uint8 shared_classifier, [int32 group_size], zero pad to 256.
        reader.Skip(4);
        var version = reader.Int32s(1)[0];
        if (version is not (1 or 2))
        {
            throw new HanlinException(ErrorCodes.UnsupportedModel, $"Checkpoint '{path}' is llama2.c export version {version}; versions 0, 1 and 2 are supported.");
        }

        var p = reader.Int32s(7);
        var shared = reader.Byte() != 0;
        var groupSize = version == 2 ? reader.Int32s(1)[0] : 0;
        var config = new LlamaConfig(p[0], p[1], p[2], p[3], p[4], p[5], p[6]) { TiedClassifier = shared };
        config.Validate(path);
        reader.Seek(ExportHeaderBytes);
        var (n, dim, kv, hidden, vocab) = (config.Layers, config.Dim, config.KvDim, config.HiddenDim, config.VocabSize);
        if (version == 2 && (groupSize <= 0 || (long)dim * kv % groupSize != 0 || (long)dim * hidden % groupSize != 0 || (long)dim * dim % groupSize != 0))
        {
            throw Corrupt(path, $"Q8_0 group size {groupSize} does not divide the weight matrices of {config}");
        }

        // Norms stay fp32 in both versions and come first.
        var attentionNorm = reader.Fp32Layers(n, dim);
        var ffnNorm = reader.Fp32Layers(n, dim);
        var finalNorm = reader.Fp32(dim);
        Tensor[] Weights(int rows, int columns) => version == 2 ? reader.Q80Layers(n, rows, columns, groupSize) : reader.Fp32Layers(n, rows, columns);
        var embedding = version == 2 ? reader.Q80(vocab, dim, groupSize) : reader.Fp32(vocab, dim);
        var wq = Weights(dim, dim);
        var wk = Weights(kv, dim);
        var wv = Weights(kv, dim);
        var wo = Weights(dim, dim);
        var w1 = Weights(hidden, dim);
        var w2 = Weights(dim, hidden);
        var w3 = Weights(hidden, dim);
        var classifier = shared ? null : version == 2 ? reader.Q80(vocab, dim, groupSize) : reader.Fp32(vocab, dim);
        if (reader.Remaining != 0)
        {
            throw Corrupt(path, $"{reader.Remaining} bytes remain after the last tensor of {config}");
        }

        return Build(config, path, embedding, attentionNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3, finalNorm, classifier);
    }

    private static LlamaModel Build(
        LlamaConfig config, string path, Tensor embedding, Tensor[] attentionNorm, Tensor[] wq, Tensor[] wk, Tensor[] wv, Tensor[] wo,
        Tensor[] ffnNorm, Tensor[] w1, Tensor[] w2, Tensor[] w3, Tensor finalNorm, Tensor? classifier)
    {
        var layers = Enumerable.Range(0, config.Layers)
            .Select(i => new LlamaLayerWeights(attentionNorm[i], wq[i], wk[i], wv[i], wo[i], ffnNorm[i], w1[i], w2[i], w3[i]))
            .ToList();
        return new LlamaModel(config, new LlamaWeights(embedding, layers, finalNorm, classifier), path);
    }

    private static HanlinException Corrupt(string path, string problem) =>
        new(ErrorCodes.CorruptFile, $"Checkpoint '{path}' is not a valid llama2.c checkpoint: {problem}.");

    /// <summary>Sequential little-endian reader that turns byte ranges into detached fp32 tensors.</summary>
    private sealed class Reader(byte[] bytes, string path, IProgress<float>? progress, CancellationToken cancellationToken)
    {
        private readonly List<Tensor> _created = [];
        private long _offset;

        public long Length => bytes.LongLength;

        public long Remaining => bytes.LongLength - _offset;

        public int[] Int32s(int count) => MemoryMarshal.Cast<byte, int>(Take(4L * count)).ToArray();

        public byte Byte() => Take(1)[0];

        public void Skip(long count) => Take(count);

        public void Seek(long offset) => _offset = offset;

        public Tensor Fp32(params long[] shape)
        {
            var values = MemoryMarshal.Cast<byte, float>(Take(4 * shape.Aggregate(1L, (a, b) => a * b))).ToArray();
            return Track(tensor(values, shape));
        }

        public Tensor[] Fp32Layers(int layers, params long[] shape) => Enumerable.Range(0, layers).Select(_ => Fp32(shape)).ToArray();

        /// <summary>Q8_0: all int8 values, then one fp32 scale per <paramref name="groupSize"/> consecutive values of the flattened matrix.</summary>
        public Tensor Q80(int rows, int columns, int groupSize)
        {
            var count = (long)rows * columns;
            var quantized = MemoryMarshal.Cast<byte, sbyte>(Take(count)).ToArray();
            var scales = MemoryMarshal.Cast<byte, float>(Take(4 * (count / groupSize)));
            var values = new float[count];
            for (long i = 0; i < count; i++)
            {
                values[i] = quantized[i] * scales[(int)(i / groupSize)];
            }

            return Track(tensor(values, rows, columns));
        }

        public Tensor[] Q80Layers(int layers, int rows, int columns, int groupSize) =>
            Enumerable.Range(0, layers).Select(_ => Q80(rows, columns, groupSize)).ToArray();

        public void DisposeTensors()
        {
            foreach (var created in _created)
            {
                created.Dispose();
            }
        }

        private Tensor Track(Tensor created)
        {
            _created.Add(created.DetachFromDisposeScope());
            progress?.Report((float)_offset / bytes.LongLength);
            return created;
        }

        private ReadOnlySpan<byte> Take(long count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (count < 0 || count > bytes.LongLength - _offset)
            {
                throw Corrupt(path, $"it ends at byte {bytes.LongLength} while {count} more bytes were expected at offset {_offset} (truncated?)");
            }

            var span = bytes.AsSpan((int)_offset, (int)count);
            _offset += count;
            return span;
        }
    }
}
