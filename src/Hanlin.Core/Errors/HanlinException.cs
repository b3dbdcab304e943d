namespace Hanlin.Core.Errors;

/// <summary>
/// A domain failure with a stable, machine-readable <see cref="Code"/> (see <see cref="ErrorCodes"/>)
/// and a sentence a person can act on. The CLI maps it to an exit code, the server to ProblemDetails.
/// </summary>
public class HanlinException : Exception
{
    public HanlinException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    public HanlinException()
        : this(ErrorCodes.Internal, "An internal error occurred.")
    {
    }

    public HanlinException(string message)
        : this(ErrorCodes.Internal, message)
    {
    }

    public HanlinException(string message, Exception innerException)
        : this(ErrorCodes.Internal, message, innerException)
    {
    }

    /// <summary>Stable error code, e.g. <c>corrupt_file</c>; never localised, safe to switch on.</summary>
    public string Code { get; }
}
