namespace Hanlin.Retrieval.Analysis;

/// <summary>
/// Reads characters already taken from a reader, then the rest of that reader: lets the reference chain
/// analyse an input too long to buffer whole. Does not own the inner reader.
/// </summary>
internal sealed class ReplayReader : TextReader
{
    private readonly char[] _prefix;
    private readonly int _prefixLength;
    private readonly TextReader _rest;
    private int _position;

    public ReplayReader(char[] prefix, int prefixLength, TextReader rest)
    {
        _prefix = prefix;
        _prefixLength = prefixLength;
        _rest = rest;
    }

    public override int Read(char[] buffer, int index, int count)
    {
        if (_position < _prefixLength)
        {
            var n = Math.Min(count, _prefixLength - _position);
            Array.Copy(_prefix, _position, buffer, index, n);
            _position += n;
            return n;
        }

        return _rest.Read(buffer, index, count);
    }

    public override int Read() => _position < _prefixLength ? _prefix[_position++] : _rest.Read();

    public override int Peek() => _position < _prefixLength ? _prefix[_position] : _rest.Peek();
}
