using System.Globalization;
using nietras.SeparatedValues;

namespace Lightning.Plotting;

/// <summary>
/// The learning-rate finder's curve as the runtime's <c>LrFinder.WriteCsv</c> writes it (<c>lr_find.csv</c>: columns
/// <c>lr</c>, <c>loss</c> and <c>suggested</c>, 1 on the suggested rate's row): the smoothed loss against the rate on a
/// log scale, with the suggested rate marked, as Lightning's <c>lr_finder.plot(suggest=True)</c> draws it.
/// </summary>
public static class LrFinderChart
{
    /// <summary>Whether <paramref name="path"/> is a file of this form (its header starts with <c>lr,loss</c>).</summary>
    public static bool IsCurve(string path)
    {
        if (!File.Exists(path)) return false;
        using var reader = new StreamReader(path);
        return reader.ReadLine()?.StartsWith("lr,loss", StringComparison.Ordinal) == true;
    }

    /// <summary>The panel of the curve in <paramref name="file"/>; steps with a non-finite loss are left out.</summary>
    /// <exception cref="InvalidDataException">A value is not a number.</exception>
    public static ChartPanel Panel(string file)
    {
        var x = new List<double>();
        var y = new List<double>();
        var suggested = new List<(double X, double Lr, double Loss)>();
        using (var reader = Sep.Reader().FromFile(file))
        {
            var hasSuggestion = reader.Header.ColNames.Contains("suggested");
            var line = 1;
            foreach (var row in reader)
            {
                line++;
                var lr = Number(row["lr"].ToString(), file, line);
                var loss = Number(row["loss"].ToString(), file, line);
                if (!double.IsFinite(loss) || !(lr > 0)) continue;
                x.Add(Math.Log10(lr));
                y.Add(loss);
                if (hasSuggestion && row["suggested"].ToString() == "1") suggested.Add((Math.Log10(lr), lr, loss));
            }
        }
        var series = new List<ChartSeries> { new("loss", x, y) };
        series.AddRange(suggested.Select(s => new ChartSeries(
            string.Create(CultureInfo.InvariantCulture, $"suggested lr = {s.Lr:G3}"), [s.X], [s.Loss])));
        return new ChartPanel("learning-rate finder", "learning rate (log10)", "loss", series);
    }

    private static double Number(string text, string file, int line) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{file}, line {line}: '{text}' is not a number.");
}
