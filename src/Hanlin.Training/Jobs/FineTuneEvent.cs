namespace Hanlin.Training.Jobs;

/// <summary>One entry of a job's event log (OpenAI's <c>fine_tuning.job.event</c>).</summary>
/// <param name="Id">The event id, <c>ftevent-…</c>; ordered by creation.</param>
/// <param name="JobId">The job it belongs to.</param>
/// <param name="Level"><c>info</c>, <c>warn</c> or <c>error</c>.</param>
/// <param name="Type"><c>message</c>, or <c>metrics</c> for step metrics in <paramref name="DataJson"/>.</param>
/// <param name="Message">A human sentence.</param>
/// <param name="DataJson">A JSON object with details (metrics of a step), or null.</param>
/// <param name="CreatedAt">When it happened.</param>
public sealed record FineTuneEvent(string Id, string JobId, string Level, string Type, string Message, string? DataJson, DateTimeOffset CreatedAt);
