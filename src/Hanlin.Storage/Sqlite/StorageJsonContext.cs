using System.Text.Json.Serialization;
using Hanlin.Core.Ingestion;

namespace Hanlin.Storage.Sqlite;

/// <summary>Source-generated JSON for the list-valued columns (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<int>))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(IReadOnlyList<DroppedChunk>))]
[JsonSerializable(typeof(List<DroppedChunk>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
