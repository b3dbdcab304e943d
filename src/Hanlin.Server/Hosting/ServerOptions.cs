using System.ComponentModel.DataAnnotations;
using Hanlin.Server.Security;

namespace Hanlin.Server.Hosting;

/// <summary>Configuration section <c>Server</c>: request limits and the embedding model name.</summary>
public sealed class ServerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Server";

    /// <summary>Largest JSON request body in bytes (default 4 MiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxJsonBodyBytes { get; set; } = 4L << 20;

    /// <summary>Largest multipart upload in bytes, all files together (default 256 MiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 256L << 20;

    /// <summary>Most files in one upload.</summary>
    [Range(1, 10_000)]
    public int MaxUploadFiles { get; set; } = 1000;

    /// <summary>Longest question in characters (search queries have the retriever's own limit).</summary>
    [Range(1, 1_000_000)]
    public int MaxQuestionLength { get; set; } = 4096;

    /// <summary>
    /// API keys (<c>Server:ApiKeys:0:Key</c>, <c>:Name</c>, <c>:Role</c> read|write|admin, <c>:Collections:0</c>...).
    /// With none, <c>/api</c> and <c>/v1</c> are open to anyone who can reach the server.
    /// </summary>
    public IList<ApiKeyOptions> ApiKeys { get; } = new List<ApiKeyOptions>();

    /// <summary>Name of the embedding model listed for <c>/v1/embeddings</c> when a generator is registered.</summary>
    public string? EmbeddingModel { get; set; }
}
