namespace Hanlin.Cli.Bench;

/// <summary>Throughput and latency of one endpoint under a fixed number of concurrent connections.</summary>
internal sealed record LoadResult(string Endpoint, int Connections, double Seconds, long Requests, long Errors, double RequestsPerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs);
