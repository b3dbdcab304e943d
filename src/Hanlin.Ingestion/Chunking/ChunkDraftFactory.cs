using System.Security.Cryptography;
using System.Text;
using Hanlin.Core.Documents;
using Hanlin.Ingestion.Dedup;

namespace Hanlin.Ingestion.Chunking;

/// <summary>Builds a <see cref="ChunkDraft"/> with its content hash and SimHash; the ordinal is set later.</summary>
internal static class ChunkDraftFactory
{
    public static ChunkDraft Create(string text, string sectionPath, int? pageStart, int? pageEnd, int charStart, int charEnd, int tokenCount, ChunkKind kind)
    {
        var byteCount = Encoding.UTF8.GetByteCount(text);
        var buffer = byteCount <= 4096 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(text, buffer);
        Span<byte> sha = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer, sha);
        return new ChunkDraft(
            Ordinal: 0,
            Text: text,
            SectionPath: sectionPath,
            PageStart: pageStart,
            PageEnd: pageEnd,
            CharStart: charStart,
            CharEnd: charEnd,
            TokenCount: tokenCount,
            ContentHash: Convert.ToHexStringLower(sha),
            SimHash: SimHasher.Compute(text),
            Kind: kind);
    }
}
