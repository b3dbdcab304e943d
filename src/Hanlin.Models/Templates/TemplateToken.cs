namespace Hanlin.Models.Templates;

/// <summary>One lexed token; <see cref="Value"/> is already unescaped for strings and whitespace-controlled for text.</summary>
internal readonly record struct TemplateToken(TemplateTokenKind Kind, string Value, int Line);
