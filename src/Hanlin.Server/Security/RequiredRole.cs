namespace Hanlin.Server.Security;

/// <summary>Endpoint metadata: the least role that may call the endpoint (endpoints without it need <see cref="ApiRole.Read"/>).</summary>
/// <param name="Role">The least role.</param>
public sealed record RequiredRole(ApiRole Role);
