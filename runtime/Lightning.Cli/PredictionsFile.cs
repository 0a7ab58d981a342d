using System.Globalization;
using System.Text;
using Lightning.IO;
using static TorchSharp.torch;

namespace Lightning.Cli;

/// <summary>
/// Writes what <c>predict</c> returns as CSV: one row per example (the first dimension of each batch's prediction),
/// the remaining dimensions flattened into columns <c>prediction</c> or <c>prediction_0</c>, <c>prediction_1</c>, ...
/// </summary>
internal static class PredictionsFile
{
    /// <summary>The file name in the run's log folder.</summary>
    public const string FileName = "predictions.csv";

    /// <summary>Writes <paramref name="predictions"/> to <paramref name="path"/> atomically; returns the number of rows.</summary>
    public static long Write(string path, IReadOnlyList<Tensor> predictions)
    {
        var text = new StringBuilder();
        long rows = 0;
        foreach (var prediction in predictions)
        {
            using var scope = NewDisposeScope();
            var batchRows = prediction.shape.Length == 0 ? 1 : prediction.shape[0];
            var flat = prediction.detach().cpu().reshape(batchRows, -1).to(ScalarType.Float64);
            var columns = (int)flat.shape[1];
            if (rows == 0) text.Append(columns == 1 ? "prediction" : string.Join(',', Enumerable.Range(0, columns).Select(c => $"prediction_{c}"))).Append('\n');
            var values = flat.data<double>().ToArray();
            for (var i = 0; i < values.Length; i++)
            {
                text.Append(values[i].ToString("R", CultureInfo.InvariantCulture));
                text.Append((i + 1) % columns == 0 ? '\n' : ',');
            }
            rows += batchRows;
        }
        AtomicFile.WriteAllText(path, text.ToString());
        return rows;
    }
}
