namespace Hanlin.Training.Datasets;

/// <summary>Empty-content and length checks of one turn.</summary>
internal sealed class TurnLimits
{
    private readonly int? _maxCharacters;
    private readonly int? _maxTokens;
    private readonly ITokenCounter _tokenCounter;

    public TurnLimits(int? maxCharacters, int? maxTokens, ITokenCounter? tokenCounter)
    {
        if (maxCharacters is { } c)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(c, nameof(maxCharacters));
        }

        if (maxTokens is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(t, nameof(maxTokens));
        }

        _maxCharacters = maxCharacters;
        _maxTokens = maxTokens;
        _tokenCounter = tokenCounter ?? Cl100kTokenCounter.Instance;
    }

    public void Check(int lineNumber, string label, string content, List<DatasetProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.EmptyContent, $"{label}: the content is empty."));
            return;
        }

        if (_maxCharacters is { } maxCharacters)
        {
            // Unicode scalar values, so a Chinese character or an emoji counts as one, as a person would count.
            var characters = CountCharacters(content);
            if (characters > maxCharacters)
            {
                problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.TurnTooLong, $"{label}: {characters} characters, more than the limit of {maxCharacters}."));
                return;
            }
        }

        if (_maxTokens is { } maxTokens)
        {
            var tokens = _tokenCounter.CountTokens(content);
            if (tokens > maxTokens)
            {
                problems.Add(new DatasetProblem(lineNumber, DatasetProblemKind.TurnTooLong, $"{label}: {tokens} tokens, more than the limit of {maxTokens}."));
            }
        }
    }

    public static int CountCharacters(string content)
    {
        var count = 0;
        foreach (var _ in content.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
