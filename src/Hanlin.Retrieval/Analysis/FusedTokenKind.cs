namespace Hanlin.Retrieval.Analysis;

/// <summary>What a <see cref="FusedToken"/> is; decides its type, keyword flag and position increment.</summary>
internal enum FusedTokenKind : byte
{
    /// <summary>A word holding at least one letter (<c>&lt;ALPHANUM&gt;</c>).</summary>
    Word,

    /// <summary>A word of digits and separators only (<c>&lt;NUM&gt;</c>).</summary>
    Number,

    /// <summary>A lone CJK character (<c>&lt;SINGLE&gt;</c>, keyword).</summary>
    Single,

    /// <summary>A CJK bigram (<c>&lt;DOUBLE&gt;</c>, keyword).</summary>
    Double,

    /// <summary>A whole dictionary term at its first bigram's position (<c>&lt;DICT&gt;</c>, keyword, increment 0).</summary>
    Dictionary,
}
