namespace Hanlin.Server.Contracts;

/// <summary>The check of one answer sentence against its cited sources (support in 0..1).</summary>
public sealed record VerificationResponse(string Sentence, IReadOnlyList<int> Cited, IReadOnlyList<int> InvalidCitations, double Support, bool Supported);
