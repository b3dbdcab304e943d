using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Presentation;

namespace Hanlin.Ingestion.Formats.Office;

/// <summary>
/// Where the placeholders of a slide layout (and its master) sit. A slide's placeholder usually has no
/// position of its own and inherits it, matched by index first, then by type.
/// </summary>
internal sealed class PlaceholderPositions
{
    private readonly Dictionary<uint, (long X, long Y)> _byIndex = [];
    private readonly Dictionary<string, (long X, long Y)> _byType = new(StringComparer.Ordinal);
    private readonly PlaceholderPositions? _fallback;

    public PlaceholderPositions(ShapeTree? shapes, PlaceholderPositions? fallback)
    {
        _fallback = fallback;
        foreach (var shape in shapes?.Elements<Shape>() ?? [])
        {
            var placeholder = shape.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape;
            if (placeholder is null || shape.ShapeProperties?.Transform2D?.Offset is not { } offset)
            {
                continue;
            }

            var position = (offset.X?.Value ?? 0, offset.Y?.Value ?? 0);
            if (placeholder.Index?.Value is { } index)
            {
                _byIndex.TryAdd(index, position);
            }

            _byType.TryAdd(TypeOf(placeholder), position);
        }
    }

    /// <summary>The placeholder type as written in the file ("title", "body", ...); absent means "obj".</summary>
    public static string TypeOf(PlaceholderShape placeholder) => placeholder.Type?.InnerText ?? "obj";

    public (long X, long Y)? Find(PlaceholderShape placeholder)
    {
        if (placeholder.Index?.Value is { } index && _byIndex.TryGetValue(index, out var byIndex))
        {
            return byIndex;
        }

        return _byType.TryGetValue(TypeOf(placeholder), out var byType) ? byType : _fallback?.Find(placeholder);
    }

    /// <summary>The offset of a shape's own transform, if it has one.</summary>
    public static (long X, long Y)? OffsetOf(OpenXmlElement element)
    {
        var offset = element switch
        {
            Shape shape => shape.ShapeProperties?.Transform2D?.Offset,
            GraphicFrame frame => frame.Transform?.Offset,
            GroupShape group => group.GroupShapeProperties?.TransformGroup?.Offset,
            _ => null,
        };
        return offset is null ? null : (offset.X?.Value ?? 0, offset.Y?.Value ?? 0);
    }
}
