namespace Hanlin.Cli.Bench;

/// <summary>
/// Throughput and latency of one endpoint under a fixed number of concurrent connections, and the CPU time the
/// server and the load generator each spent per request (ms of CPU over the measured window / requests): on a
/// shared or noisy machine CPU per request is the stable figure, wall-clock throughput is not.
/// </summary>
internal sealed record LoadResult(
    string Endpoint,
    int Connections,
    double Seconds,
    long Requests,
    long Errors,
    double RequestsPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    double ServerCpuMsPerRequest,
    double ClientCpuMsPerRequest);
