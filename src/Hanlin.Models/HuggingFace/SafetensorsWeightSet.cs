using Hanlin.Core.Errors;
using Hanlin.Models.Safetensors;
using static TorchSharp.torch;

namespace Hanlin.Models.HuggingFace;

/// <summary>
/// The safetensors files of one model directory (a single <c>model.safetensors</c>, or the shards a
/// <c>model.safetensors.index.json</c> lists), memory-mapped, with each tensor name resolved to its file.
/// </summary>
internal sealed class SafetensorsWeightSet : IDisposable
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, SafetensorsFile> _byName;

    private SafetensorsWeightSet(List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> byName)
    {
        _files = files;
        _byName = byName;
    }

    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>The weight files a directory holds, without opening them: the shards in index order, or the single file.</summary>
    public static IReadOnlyList<string> Locate(string directory)
    {
        var index = Path.Combine(directory, IndexFile);
        if (File.Exists(index))
        {
            return ReadIndex(index).Values.Distinct(StringComparer.Ordinal).Select(f => Path.Combine(directory, f)).ToArray();
        }

        var single = Path.Combine(directory, SingleFile);
        if (File.Exists(single))
        {
            return [single];
        }

        if (File.Exists(Path.Combine(directory, "pytorch_model.bin")) || File.Exists(Path.Combine(directory, "pytorch_model.bin.index.json")))
        {
            throw new HanlinException(
                ErrorCodes.UnsupportedModel,
                $"Model directory '{directory}' holds PyTorch pickle weights (pytorch_model.bin); Hanlin reads only safetensors. Convert them with transformers' save_pretrained(safe_serialization=True).");
        }

        throw new HanlinException(ErrorCodes.FileNotFound, $"Model directory '{directory}' has neither {SingleFile} nor {IndexFile}.");
    }

    public static SafetensorsWeightSet Open(string directory)
    {
        var index = Path.Combine(directory, IndexFile);
        var files = new List<SafetensorsFile>();
        try
        {
            var byName = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            if (File.Exists(index))
            {
                var map = ReadIndex(index);
                var opened = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
                foreach (var (name, shard) in map)
                {
                    if (!opened.TryGetValue(shard, out var file))
                    {
                        var path = Path.Combine(directory, shard);
                        if (!File.Exists(path))
                        {
                            throw new HanlinException(ErrorCodes.FileNotFound, $"Shard '{shard}' listed in '{index}' does not exist.");
                        }

                        file = SafetensorsFile.Open(path);
                        files.Add(file);
                        opened.Add(shard, file);
                    }

                    if (!file.Entries.ContainsKey(name))
                    {
                        throw new HanlinException(ErrorCodes.CorruptFile, $"'{index}' places tensor '{name}' in '{shard}', which does not contain it.");
                    }

                    byName[name] = file;
                }
            }
            else
            {
                var path = Locate(directory)[0];
                var file = SafetensorsFile.Open(path);
                files.Add(file);
                foreach (var name in file.Entries.Keys)
                {
                    byName[name] = file;
                }
            }

            return new SafetensorsWeightSet(files, byName);
        }
        catch
        {
            foreach (var file in files)
            {
                file.Dispose();
            }

            throw;
        }
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Bytes tensor <paramref name="name"/> occupies as stored.</summary>
    public long StoredBytes(string name) => _byName.TryGetValue(name, out var file) ? file.Entries[name].End - file.Entries[name].Begin : 0;

    /// <summary>Reads <paramref name="name"/> as <paramref name="dtype"/>, checking it has <paramref name="shape"/>.</summary>
    /// <exception cref="HanlinException">The tensor is absent or has another shape (<c>corrupt_file</c>).</exception>
    public Tensor Read(string name, ScalarType dtype, params long[] shape)
    {
        if (!_byName.TryGetValue(name, out var file))
        {
            var where = _files.Count == 1 ? $"'{_files[0].Path}'" : $"the {_files.Count} shards of '{Path.GetDirectoryName(_files[0].Path)}'";
            throw new HanlinException(ErrorCodes.CorruptFile, $"Tensor '{name}' is missing from {where}.");
        }

        var stored = file.Entries[name].Shape;
        if (!stored.SequenceEqual(shape))
        {
            throw new HanlinException(
                ErrorCodes.CorruptFile,
                $"Tensor '{name}' in '{file.Path}' has shape [{string.Join(", ", stored)}] but the configuration implies [{string.Join(", ", shape)}].");
        }

        return file.Read(name, dtype);
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    private static Dictionary<string, string> ReadIndex(string index)
    {
        var json = ConfigJson.Load(index);
        var map = json.Object("weight_map") ?? throw json.Missing("weight_map", "an object of tensor name to shard file");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in map.Root.EnumerateObject())
        {
            var shard = property.Value.ValueKind == System.Text.Json.JsonValueKind.String ? property.Value.GetString()! : string.Empty;
            if (shard.Length == 0 || Path.GetFileName(shard) != shard)
            {
                throw new HanlinException(ErrorCodes.CorruptFile, $"'{index}' maps tensor '{property.Name}' to '{property.Value.GetRawText()}', which is not a file name in the model directory.");
            }

            result[property.Name] = shard;
        }

        if (result.Count == 0)
        {
            throw new HanlinException(ErrorCodes.CorruptFile, $"'{index}' lists no tensors.");
        }

        return result;
    }
}
