using Lightning.IO;
using ScottPlot;
using SkiaSharp;

namespace Lightning.Plotting;

/// <summary>
/// Draws panels side by side into one PNG or SVG file (by the file's extension), written atomically. The one place
/// Lightning for .NET draws charts: <c>dotnet lightning plot</c> draws runs' metrics with it, and any other chart
/// (a learning-rate finder's loss curve) is a <see cref="ChartPanel"/> away.
/// </summary>
public static class Chart
{
    /// <summary>The size of each panel when none is given.</summary>
    public const int DefaultPanelWidth = 640, DefaultHeight = 480;

    /// <summary>Writes <paramref name="panels"/> to <paramref name="path"/> (<c>.png</c> or <c>.svg</c>).</summary>
    /// <param name="path">The image file; its folder is created.</param>
    /// <param name="panels">The plots, left to right.</param>
    /// <param name="width">The image's width in pixels; default <see cref="DefaultPanelWidth"/> per panel.</param>
    /// <param name="height">The image's height in pixels; default <see cref="DefaultHeight"/>.</param>
    /// <exception cref="ArgumentException">The extension is neither <c>.png</c> nor <c>.svg</c>, there is no panel, or a size is not positive.</exception>
    public static void Save(string path, IReadOnlyList<ChartPanel> panels, int? width = null, int? height = null)
    {
        var svg = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".svg" => true,
            ".png" => false,
            _ => throw new ArgumentException($"Cannot draw a chart into '{Path.GetFileName(path)}': name a .png or .svg file.", nameof(path)),
        };
        if (panels.Count == 0) throw new ArgumentException("A chart needs at least one panel.", nameof(panels));
        var w = width ?? DefaultPanelWidth * panels.Count;
        var h = height ?? DefaultHeight;
        if (w <= 0 || h <= 0) throw new ArgumentException($"A chart's size must be positive; it is {w}x{h}.", nameof(width));
        var plots = panels.Select(Build).ToList();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        AtomicReplace.Write(full, stream =>
        {
            if (svg)
            {
                using var canvas = SKSvgCanvas.Create(new SKRect(0, 0, w, h), stream);
                Draw(canvas, plots, w, h);
            }
            else
            {
                using var surface = SKSurface.Create(new SKImageInfo(w, h)) ?? throw new InvalidOperationException($"SkiaSharp could not make a {w}x{h} image.");
                surface.Canvas.Clear(SKColors.White);
                Draw(surface.Canvas, plots, w, h);
                using var image = surface.Snapshot();
                using var png = image.Encode(SKEncodedImageFormat.Png, 100);
                png.SaveTo(stream);
            }
        }, (temporary, target) => File.Move(temporary, target, overwrite: true));
    }

    private static void Draw(SKCanvas canvas, List<Plot> plots, int width, int height)
    {
        for (var i = 0; i < plots.Count; i++)
        {
            var area = new PixelRect(width * i / plots.Count, width * (i + 1) / plots.Count, height, 0);
            // ScottPlot draws a plot a second time when its first drawing settles the axis limits; settling them
            // off-screen first keeps each line once in an SVG.
            plots[i].RenderInMemory((int)area.Width, (int)area.Height);
            plots[i].Render(canvas, area);
        }
    }

    private static Plot Build(ChartPanel panel)
    {
        var plot = new Plot();
        // Each plot draws into its own part of a shared canvas; clearing the whole canvas would erase the panels before it.
        plot.RenderManager.ClearCanvasBeforeEachRender = false;
        plot.Title(panel.Title);
        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);
        foreach (var series in panel.Series)
        {
            var line = plot.Add.Scatter(series.X.ToArray(), series.Y.ToArray());
            line.LegendText = series.Label;
            line.LineWidth = 2;
            // Markers show the points of short series (an epoch-level metric); on long ones they would hide the line.
            line.MarkerSize = series.X.Count <= 30 ? 5 : 0;
        }
        plot.ShowLegend();
        return plot;
    }
}
