using System.Globalization;
using System.Text;
using Lightning.IO;

namespace Lightning;

/// <summary>
/// Writes metrics to <c>metrics.csv</c> and hyperparameters to <c>hparams.yaml</c> in
/// <c>saveDir/name/version_N</c>, as Lightning's <c>CSVLogger</c> does. Each row is one logging call, with a
/// <c>step</c> column; a new metric adds a column and the file is rewritten with it. Rows are buffered and
/// written every <c>flushEveryNRows</c> rows, whenever a checkpoint is saved, and at the end, so a killed run's
/// file holds at least what its checkpoints hold. A resumed run continuing a version folder appends to its file,
/// replacing the rows the killed run logged after the checkpoint.
/// </summary>
public sealed class CsvLogger : FileLogger
{
    private readonly List<Dictionary<string, double>> _pending = [];
    private readonly List<string> _columns = [];
    private readonly int _flushEveryNRows;
    private bool _resumed;

    /// <summary>Creates a logger writing under <c><paramref name="saveDir"/>/<paramref name="name"/>/version_N</c>.</summary>
    /// <param name="saveDir">The root folder.</param>
    /// <param name="name">The experiment name; default <c>lightning_logs</c>.</param>
    /// <param name="version">The version number; default the next free one.</param>
    /// <param name="flushEveryNRows">Write to disk after this many rows (and at the end).</param>
    public CsvLogger(string saveDir, string name = "lightning_logs", int? version = null, int flushEveryNRows = 100)
        : base(saveDir, name, version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flushEveryNRows, 1);
        _flushEveryNRows = flushEveryNRows;
    }

    /// <summary>The metrics file of this run.</summary>
    public string MetricsFile => Path.Combine(LogDir, "metrics.csv");

    /// <inheritdoc />
    public override void LogMetrics(IReadOnlyDictionary<string, double> metrics, long step)
    {
        var row = new Dictionary<string, double>(metrics, StringComparer.Ordinal) { ["step"] = step };
        _pending.Add(row);
        if (_pending.Count >= _flushEveryNRows) Save();
    }

    /// <inheritdoc />
    /// <remarks>
    /// When another program keeps <c>metrics.csv</c> open past the retries (a spreadsheet, on Windows), a warning says
    /// so and the rows wait for the next save; training goes on and no row is lost.
    /// </remarks>
    public override void Save()
    {
        if (_pending.Count == 0) return;
        var newColumns = _pending.SelectMany(r => r.Keys).Distinct().Where(k => !_columns.Contains(k)).ToList();
        var path = MetricsFile;
        var resuming = ResumedFromStep is not null && !_resumed;
        try
        {
            if (newColumns.Count > 0 || resuming || !File.Exists(path))
            {
                // The header changes: rewrite the file with the old rows under the new columns.
                var old = File.Exists(path) ? ReadRows(path) : [];
                // The killed run went on past the checkpoint this run resumed from; this run logs those steps again.
                if (resuming) old.RemoveAll(r => r.TryGetValue("step", out var step) && double.Parse(step, CultureInfo.InvariantCulture) > ResumedFromStep);
                var columns = _columns.Concat(old.SelectMany(r => r.Keys)).Concat(newColumns).Distinct().Order(StringComparer.Ordinal).ToList();
                var text = new StringBuilder().AppendLine(string.Join(",", columns));
                foreach (var row in old.Concat(_pending.Select(Format))) text.AppendLine(string.Join(",", columns.Select(c => row.GetValueOrDefault(c, ""))));
                AtomicFile.WriteAllText(path, text.ToString());
                // Only a written file changes what the next save assumes about it.
                _columns.Clear();
                _columns.AddRange(columns);
                _resumed |= resuming;
            }
            else
            {
                var text = new StringBuilder();
                foreach (var row in _pending.Select(Format)) text.AppendLine(string.Join(",", _columns.Select(c => row.GetValueOrDefault(c, ""))));
                FileOperations.Append(path, text.ToString());
            }
            _pending.Clear();
        }
        catch (FileInUseException e)
        {
            Output.Warn($"CsvLogger kept {_pending.Count} rows for the next save: {e.Message}");
        }
    }

    private static Dictionary<string, string> Format(Dictionary<string, double> row) =>
        row.ToDictionary(kv => kv.Key, kv => kv.Value.ToString("R", CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static List<Dictionary<string, string>> ReadRows(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return [];
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split(',');
            return header.Select((h, i) => (h, v: i < cells.Length ? cells[i] : "")).Where(x => x.v.Length > 0)
                .ToDictionary(x => x.h, x => x.v, StringComparer.Ordinal);
        }).ToList();
    }
}
