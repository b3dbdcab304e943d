namespace Hanlin.Retrieval.Analysis;

/// <summary>
/// The UAX#29 word-break class (as Lucene 4.8's <c>StandardTokenizer</c> grammar uses it) of a character
/// <see cref="FusedCjkEnglishTokenizer"/> can tokenize itself; <see cref="Unsupported"/> sends the whole
/// input through the reference chain instead.
/// </summary>
internal enum WordBreakClass : byte
{
    /// <summary>Outside the verified set: the fast path gives up on the input.</summary>
    Unsupported = 0,

    /// <summary>Never part of a token (spaces, most punctuation, controls).</summary>
    Other,

    /// <summary>WB=ALetter: a letter of a word.</summary>
    Letter,

    /// <summary>WB=Numeric: a digit.</summary>
    Numeric,

    /// <summary>WB=ExtendNumLet (the underscore): joins letters and digits on either side.</summary>
    ExtendNumLet,

    /// <summary>WB=MidLetter (the colon, middle dot): joins two letters.</summary>
    MidLetter,

    /// <summary>WB=MidNumLet or Single_Quote (period, apostrophes): joins two letters or two digits.</summary>
    MidNumLet,

    /// <summary>WB=MidNum (comma, semicolon): joins two digits.</summary>
    MidNum,

    /// <summary>Script=Han: one ideographic token per character, then CJK bigrams.</summary>
    Han,
}
