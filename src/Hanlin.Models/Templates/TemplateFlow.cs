namespace Hanlin.Models.Templates;

/// <summary>How a statement finished: normally, or by <c>{% break %}</c>/<c>{% continue %}</c> (Jinja's loopcontrols, which transformers enables).</summary>
internal enum TemplateFlow
{
    Normal,
    Break,
    Continue,
}
