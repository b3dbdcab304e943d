namespace Hanlin.Server.Contracts;

/// <summary>A grounded answer with <c>[n]</c> markers, its numbered citations and the check of every sentence.</summary>
public sealed record AskResponse(
    string Answer,
    bool Refused,
    bool FullySupported,
    string Language,
    string Method,
    string Mode,
    IReadOnlyList<CitationResponse> Citations,
    IReadOnlyList<VerificationResponse> Verification,
    UsageResponse Usage,
    string? Notice);
