using System.Text;

namespace Hanlin.Models.Templates;

/// <summary>The state of one render: where output goes and which variables are visible.</summary>
internal sealed class TemplateFrame(TemplateScope scope, StringBuilder output)
{
    public TemplateScope Scope { get; set; } = scope;

    public StringBuilder Output { get; set; } = output;
}
