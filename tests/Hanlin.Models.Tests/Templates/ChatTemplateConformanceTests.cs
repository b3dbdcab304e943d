using System.Text.Json;
using Hanlin.Core.Errors;
using Hanlin.Models.Templates;

namespace Hanlin.Models.Tests.Templates;

/// <summary>
/// Randomised templates rendered by Jinja2 under transformers' settings (tools/chat-template-fixtures/conformance.py):
/// the engine must produce the same text, and must fail exactly where Jinja fails.
/// </summary>
public sealed class ChatTemplateConformanceTests
{
    private static readonly Lazy<JsonElement> Conformance = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(
            SharedData.RepositoryRoot, "tests", "Hanlin.Models.Tests", "Fixtures", "jinja", "conformance.json")));
        return document.RootElement.Clone();
    });

    [Fact]
    public void Whitespace_control_around_nested_tags_matches_jinja() => AssertFamilyMatches("whitespace");

    [Fact]
    public void Random_expressions_evaluate_or_fail_as_in_jinja() => AssertFamilyMatches("expressions");

    [Fact]
    public void Random_statement_programs_scope_variables_as_jinja_does() => AssertFamilyMatches("statements");

    private static void AssertFamilyMatches(string family)
    {
        var section = Conformance.Value.GetProperty(family);
        var variables = section.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value, StringComparer.Ordinal);
        var cases = section.GetProperty("cases").EnumerateArray().ToList();
        Assert.NotEmpty(cases);
        var mismatches = new List<string>();
        foreach (var testCase in cases)
        {
            var source = testCase.GetProperty("template").GetString()!;
            string? actual = null;
            HanlinException? failure = null;
            try
            {
                actual = ChatTemplate.Parse(source).Render(variables);
            }
            catch (HanlinException exception)
            {
                failure = exception;
            }

            if (testCase.TryGetProperty("error", out var error))
            {
                if (failure is null)
                {
                    mismatches.Add($"{source}\n  expected {error.GetString()}\n  rendered {JsonSerializer.Serialize(actual)}");
                }
                else
                {
                    // Jinja rejects some templates when compiling them (break outside a loop): those must not parse.
                    var compileError = error.GetString()!.Contains("SyntaxError", StringComparison.Ordinal);
                    Assert.Equal(compileError ? ErrorCodes.ChatTemplateInvalid : ErrorCodes.ChatTemplateFailed, failure.Code);
                }
            }
            else if (failure is not null || actual != testCase.GetProperty("expected").GetString())
            {
                mismatches.Add($"{source}\n  expected {JsonSerializer.Serialize(testCase.GetProperty("expected").GetString())}\n  rendered {JsonSerializer.Serialize(actual)} {failure?.Message}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} {family} cases differ from Jinja:\n" + string.Join("\n", mismatches.Take(10)));
    }
}
