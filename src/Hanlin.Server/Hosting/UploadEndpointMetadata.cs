namespace Hanlin.Server.Hosting;

/// <summary>Marks an endpoint that takes file uploads, so it gets the upload body limit instead of the JSON one.</summary>
internal sealed class UploadEndpointMetadata
{
    public static UploadEndpointMetadata Instance { get; } = new();
}
