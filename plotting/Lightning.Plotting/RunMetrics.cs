using System.Globalization;
using nietras.SeparatedValues;

namespace Lightning.Plotting;

/// <summary>
/// The metrics of one run as <c>CsvLogger</c> wrote them (<c>metrics.csv</c>, a <c>step</c> column and a column
/// per metric), each metric as the steps it was logged at and its values.
/// </summary>
public sealed class RunMetrics
{
    private RunMetrics(string name, IReadOnlyDictionary<string, ChartSeries> metrics)
    {
        Name = name;
        Metrics = metrics;
    }

    /// <summary>What the run is called in legends: its folder (<c>version_3</c>).</summary>
    public string Name { get; }

    /// <summary>Each metric's points (step, value), in the file's order; non-finite values are left out.</summary>
    public IReadOnlyDictionary<string, ChartSeries> Metrics { get; }

    /// <summary>Reads a run folder's <c>metrics.csv</c>, or the <c>metrics.csv</c> file given.</summary>
    /// <exception cref="FileNotFoundException">There is no <c>metrics.csv</c> there; the message says what to pass.</exception>
    /// <exception cref="InvalidDataException">The file has no <c>step</c> column or a value is not a number.</exception>
    public static RunMetrics Read(string runFolderOrFile)
    {
        var file = Directory.Exists(runFolderOrFile) ? Path.Combine(runFolderOrFile, "metrics.csv") : runFolderOrFile;
        if (!File.Exists(file))
            throw new FileNotFoundException(
                $"There is no metrics.csv at '{runFolderOrFile}'. Pass a run's folder (lightning_logs/version_N) written by CsvLogger, the default logger, or its metrics.csv.", file);
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var points = new Dictionary<string, (List<double> X, List<double> Y)>(StringComparer.Ordinal);
        using (var reader = Sep.Reader().FromFile(file))
        {
            if (!reader.Header.ColNames.Contains("step"))
                throw new InvalidDataException($"{file} has no 'step' column ({string.Join(", ", reader.Header.ColNames)}): it is not a metrics file CsvLogger wrote.");
            var metrics = reader.Header.ColNames.Where(c => c is not "step" and not "epoch").ToList();
            foreach (var name in metrics) points[name] = ([], []);
            var line = 1;
            foreach (var row in reader)
            {
                line++;
                var step = Number(row["step"].ToString(), file, line, "step");
                foreach (var name in metrics)
                {
                    var text = row[name].ToString();
                    if (text.Length == 0) continue;
                    var value = Number(text, file, line, name);
                    if (!double.IsFinite(value)) continue;
                    points[name].X.Add(step);
                    points[name].Y.Add(value);
                }
            }
        }
        return new RunMetrics(Path.GetFileName(folder),
            points.Where(p => p.Value.X.Count > 0).ToDictionary(p => p.Key, p => new ChartSeries(p.Key, p.Value.X, p.Value.Y), StringComparer.Ordinal));
    }

    private static double Number(string text, string file, int line, string column) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{file}, line {line}: '{text}' in column '{column}' is not a number.");
}
