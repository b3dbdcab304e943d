using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Hanlin.Server.Hosting;

/// <summary>
/// Applies the per-endpoint body limit (uploads vs JSON) before the body is read; Kestrel then rejects a larger
/// body with 413 while it streams in, so an oversized request is never buffered whole.
/// </summary>
internal sealed class BodySizeLimitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ServerOptions _options;

    public BodySizeLimitMiddleware(RequestDelegate next, IOptions<ServerOptions> options)
    {
        _next = next;
        _options = options.Value;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            var upload = context.GetEndpoint()?.Metadata.GetMetadata<UploadEndpointMetadata>() is not null;
            feature.MaxRequestBodySize = upload ? _options.MaxUploadBytes : _options.MaxJsonBodyBytes;
        }

        return _next(context);
    }
}
