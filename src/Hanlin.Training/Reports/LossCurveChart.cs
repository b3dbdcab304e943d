using ScottPlot;

namespace Hanlin.Training.Reports;

/// <summary>Draws training and validation loss against the optimiser step with ScottPlot, as SVG (text, so an HTML report embeds it inline).</summary>
public static class LossCurveChart
{
    /// <summary>The chart of <paramref name="records"/> as an SVG document, or null when no record has a loss.</summary>
    public static string? RenderSvg(IReadOnlyList<TrainingMetricsRecord> records, int width = 800, int height = 400)
    {
        ArgumentNullException.ThrowIfNull(records);
        var train = records.Where(r => r.TrainLoss is { } l && double.IsFinite(l)).ToList();
        var validation = records.Where(r => r.ValLoss is { } l && double.IsFinite(l)).ToList();
        if (train.Count == 0 && validation.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        if (train.Count > 0)
        {
            var line = plot.Add.ScatterLine(train.Select(r => (double)r.Step).ToArray(), train.Select(r => r.TrainLoss!.Value).ToArray());
            line.LegendText = "train loss";
        }

        if (validation.Count > 0)
        {
            var line = plot.Add.Scatter(validation.Select(r => (double)r.Step).ToArray(), validation.Select(r => r.ValLoss!.Value).ToArray());
            line.LegendText = "validation loss";
            line.MarkerSize = 6;
        }

        plot.XLabel("step");
        plot.YLabel("loss (nats per token)");
        plot.ShowLegend();
        return plot.GetSvgXml(width, height);
    }
}
