using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Server.Errors;
using Hanlin.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hanlin.Server.OpenAi;

/// <summary>
/// OpenAI-compatible <c>POST /v1/embeddings</c> through the registered embedding generator (the same one retrieval
/// uses); 404 <c>model_not_found</c> when none is configured.
/// </summary>
internal static class EmbeddingsEndpoints
{
    /// <summary>Most inputs in one request (OpenAI's own limit).</summary>
    public const int MaxInputs = 2048;

    public static RouteGroupBuilder MapEmbeddingsEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/embeddings", EmbedAsync).WithTags("OpenAI").WithSummary("OpenAI-compatible embeddings with the configured embedding model.");
        return v1;
    }

    internal static string ModelName(IServiceProvider services, ServerOptions options) =>
        options.EmbeddingModel
        ?? services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId
        ?? "embedding";

    /// <summary>OpenAI's base64 format: the float32 values' bytes, little-endian, as the official clients decode them.</summary>
    private static string Base64(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    private static async Task<Ok<EmbeddingResponse>> EmbedAsync(EmbeddingRequest body, IServiceProvider services, IOptions<ServerOptions> options, CancellationToken cancellationToken)
    {
        var generator = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()
            ?? throw new HanlinException(ServerErrorCodes.ModelNotFound, "No embedding model is configured on this server, so /v1/embeddings is unavailable.");
        var inputs = body.Input.ValueKind switch
        {
            JsonValueKind.String => [body.Input.GetString()!],
            JsonValueKind.Array when body.Input.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => body.Input.EnumerateArray().Select(e => e.GetString()!).ToArray(),
            _ => throw new HanlinException(ErrorCodes.InvalidArgument, "input must be a string or an array of strings."),
        };
        if (inputs.Length is 0 or > MaxInputs || inputs.Any(string.IsNullOrEmpty))
        {
            throw new HanlinException(ErrorCodes.InvalidArgument, $"input must hold 1-{MaxInputs} non-empty strings.");
        }

        var base64 = body.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            _ => throw new HanlinException(ErrorCodes.InvalidArgument, $"encoding_format must be 'float' or 'base64', not '{body.EncodingFormat}'."),
        };

        var embeddings = await generator.GenerateAsync(inputs, cancellationToken: cancellationToken).ConfigureAwait(false);
        var tokens = (int)(embeddings.Usage?.InputTokenCount ?? 0);
        var model = body.Model ?? ModelName(services, options.Value);
        return TypedResults.Ok(new EmbeddingResponse(
            "list",
            [.. embeddings.Select((e, i) => new EmbeddingItem("embedding", i, base64 ? Base64(e.Vector.Span) : e.Vector.ToArray()))],
            model,
            new EmbeddingUsage(tokens, tokens)));
    }
}
