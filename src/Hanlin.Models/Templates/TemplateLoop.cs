namespace Hanlin.Models.Templates;

/// <summary>The <c>loop</c> variable of a for loop (index, index0, first, last, length, revindex, previtem, nextitem, cycle).</summary>
internal sealed class TemplateLoop(IReadOnlyList<object?> items, int depth)
{
    public int Index0 { get; set; }

    public int Depth { get; } = depth;

    public object? Attribute(string name) => name switch
    {
        "index0" => (long)Index0,
        "index" => (long)Index0 + 1,
        "revindex" => (long)(items.Count - Index0),
        "revindex0" => (long)(items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => (long)Depth,
        "depth0" => (long)Depth - 1,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : JinjaUndefined.Variable("previtem"),
        "nextitem" => Index0 + 1 < items.Count ? items[Index0 + 1] : JinjaUndefined.Variable("nextitem"),
        "cycle" => new TemplateFunction("loop.cycle", args =>
            args.Positional.Count == 0 ? JinjaUndefined.Variable("cycle") : args.Positional[Index0 % args.Positional.Count]),
        _ => JinjaUndefined.Attribute(this, name),
    };
}
