namespace Lightning.Tool.Datasets;

/// <summary>The data set kinds <c>add-dataset</c> generates.</summary>
internal static class DatasetCatalog
{
    /// <summary>A fresh set of kinds (each holds its own command-line options, so each command tree gets its own).</summary>
    public static IReadOnlyList<DatasetKind> Create() => [new CsvDataset(), new IdxDataset(), new ImageFolderDataset(), new TensorDataset()];
}
