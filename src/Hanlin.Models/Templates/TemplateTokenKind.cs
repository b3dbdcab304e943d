namespace Hanlin.Models.Templates;

/// <summary>Kinds of token the chat-template lexer produces.</summary>
internal enum TemplateTokenKind
{
    Text,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}
